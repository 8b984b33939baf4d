using OrleansReleases.Grains.Domain;

namespace OrleansReleases.Grains.Chat;

/// <summary>A notice waiting in the chat outbox. <see cref="AttemptedAt"/> is set when a post was tried; <see cref="FailedAttempts"/> counts failed deliveries.</summary>
public sealed record OutboxNotice(string ReleaseId, long Version, NoticeKind Kind, string Detail, string ChannelId, DateTime? AttemptedAt,
    int FailedAttempts = 0)
{
    /// <summary>Stamped on the chat post, so a post made just before a crash is found instead of made twice.</summary>
    public string Key => $"{ReleaseId}/{Version}";
}
