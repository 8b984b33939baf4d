namespace OrleansReleases.Web.Webhooks;

/// <summary>The webhook's own settings, under <c>Releases:GitHub</c> beside the source's.</summary>
public sealed class GitHubWebhookOptions
{
    public const string Section = "Releases:GitHub";

    /// <summary>The largest delivery body read; a larger one is refused with 413 once this much has arrived.</summary>
    public long WebhookMaxBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>How long a delivery (its <c>X-GitHub-Delivery</c> id and its body) is remembered, so a replay is ignored.</summary>
    public TimeSpan WebhookReplayWindow { get; set; } = TimeSpan.FromDays(1);
}
