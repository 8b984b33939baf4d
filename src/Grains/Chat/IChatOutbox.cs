namespace OrleansReleases.Grains.Chat;

/// <summary>The durable outbox of chat notices (written with the release change that caused them).</summary>
public interface IChatOutbox
{
    /// <summary>Undelivered notices of releases that have a channel, oldest first.</summary>
    Task<IReadOnlyList<OutboxNotice>> PendingAsync(int max, CancellationToken cancellationToken = default);

    Task MarkAttemptedAsync(OutboxNotice notice, DateTime at, CancellationToken cancellationToken = default);

    Task MarkDeliveredAsync(OutboxNotice notice, string postId, DateTime at, CancellationToken cancellationToken = default);
}
