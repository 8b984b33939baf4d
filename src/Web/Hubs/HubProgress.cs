using Microsoft.AspNetCore.SignalR;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Sources;

namespace OrleansReleases.Web.Hubs;

/// <summary>
/// Comparison progress for the browser that asked for it (its <c>X-Progress-Id</c>), at most about
/// ten messages a second, and always the last one.
/// </summary>
public sealed class HubProgress(IHubContext<ReleasesHub> hub, string progressId, TimeProvider clock) : IProgress<CompareProgress>
{
    /// <summary>The progress for the <c>X-Progress-Id</c> value <paramref name="id"/>, or null when the request did not send one.</summary>
    public static HubProgress? For(string? id, IHubContext<ReleasesHub> hub, TimeProvider clock)
    {
        if (id is null)
        {
            return null;
        }

        return ProgressId.IsWellFormed(id)
            ? new HubProgress(hub, id, clock)
            : throw new ReleaseRuleException(RuleViolation.InvalidInput, $"{ProgressId.Header} must be 1 to 64 letters, digits or dashes.");
    }

    private static readonly TimeSpan MinimumGap = TimeSpan.FromMilliseconds(100);
    private readonly Lock _gate = new();
    private DateTimeOffset _lastSent = DateTimeOffset.MinValue;

    public void Report(CompareProgress value)
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (value.Compared != value.Total && now - _lastSent < MinimumGap)
            {
                return;
            }

            _lastSent = now;
        }

        _ = hub.Clients.Group(ReleasesHub.ProgressGroup(progressId))
            .SendAsync("compareProgress", new { progressId, compared = value.Compared, total = value.Total });
    }
}
