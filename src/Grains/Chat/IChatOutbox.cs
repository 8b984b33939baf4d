namespace OrleansReleases.Grains.Chat;

/// <summary>The durable outbox of chat notices (written with the release change that caused them).</summary>
public interface IChatOutbox
{
    /// <summary>Undelivered notices of releases that have a channel, due at <paramref name="now"/> and not given up, oldest first.</summary>
    Task<IReadOnlyList<OutboxNotice>> PendingAsync(int max, DateTime now, CancellationToken cancellationToken = default);

    Task MarkAttemptedAsync(OutboxNotice notice, DateTime at, CancellationToken cancellationToken = default);

    Task MarkDeliveredAsync(OutboxNotice notice, string postId, DateTime at, CancellationToken cancellationToken = default);

    /// <summary>Records a failed delivery: tried again after <paramref name="nextAttemptAt"/>, or never again when that is null.</summary>
    Task MarkFailedAsync(OutboxNotice notice, int attempts, DateTime? nextAttemptAt, string error, DateTime at, CancellationToken cancellationToken = default);

    /// <summary>How many undelivered notices were given up.</summary>
    Task<long> FailedCountAsync(CancellationToken cancellationToken = default);
}
