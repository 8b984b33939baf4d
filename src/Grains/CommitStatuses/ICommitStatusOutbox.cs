namespace OrleansReleases.Grains.CommitStatuses;

/// <summary>
/// The durable record of which release states GitHub has yet to hear about (the
/// <c>commit_status_outbox</c> table, written with each change) and of the statuses already set
/// (<c>commit_status_sent</c>).
/// </summary>
public interface ICommitStatusOutbox
{
    /// <summary>The release's row, or null when none was written (statuses were off when it last changed).</summary>
    Task<CommitStatusDebt?> GetAsync(string releaseId, CancellationToken cancellationToken = default);

    /// <summary>Releases whose newest version is not yet delivered and whose back-off (if any) has passed.</summary>
    Task<IReadOnlyList<string>> DueAsync(DateTime now, int max, CancellationToken cancellationToken = default);

    /// <summary>GitHub holds the statuses of <paramref name="version"/>: raises delivered_version to it (never lowers it) and clears the failures.</summary>
    Task MarkDeliveredAsync(string releaseId, long version, CancellationToken cancellationToken = default);

    /// <summary>A delivery of <paramref name="version"/> failed; the next try is not before <paramref name="nextAttemptAt"/>.</summary>
    Task MarkFailedAsync(string releaseId, long version, int attempts, DateTime nextAttemptAt, string error, CancellationToken cancellationToken = default);

    /// <summary>The status this service last set on the commit in that context, or null.</summary>
    Task<DesiredStatus?> LastSentAsync(string ownerAndRepo, string sha, string context, CancellationToken cancellationToken = default);

    Task RecordSentAsync(string ownerAndRepo, DesiredStatus status, string releaseId, DateTime at, CancellationToken cancellationToken = default);
}

/// <summary>What is owed to GitHub for one release: its newest published version, the newest delivered, and failed tries since.</summary>
public sealed record CommitStatusDebt(string ReleaseId, long Version, long DeliveredVersion, int Attempts);
