using Microsoft.Extensions.Options;
using OrleansReleases.Grains.Chat;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Sources;

namespace OrleansReleases.Grains.Releases;

/// <summary>
/// Creating and refreshing a release: the two changes that need the repository sources. The
/// comparison runs here, outside the grain (it can take minutes over hundreds of repos); the grain
/// then takes in its result as one serialized change. The API, the chat bot and webhooks all come
/// through here. A release that names no chat channel (it was not created from chat) is announced
/// in <c>Mattermost:DefaultChannel</c>, when the bot is on and that is set.
/// </summary>
public sealed class ReleaseService(IGrainFactory grains, RepositorySources sources, IOptions<MattermostOptions> chat)
{
    public async Task<ReleaseView> CreateAsync(NewRelease spec, Actor actor, IProgress<CompareProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (spec.Problem() is { } problem)
        {
            throw new ReleaseRuleException(RuleViolation.InvalidInput, problem);
        }

        spec = WithDefaultChannel(spec);
        var comparison = await sources.CompareAsync(spec.SourceBranch, spec.DestBranch, progress, cancellationToken);
        if (comparison.Changed.Count == 0)
        {
            var failures = comparison.Warnings.Count == 0 ? "" : $" {comparison.Warnings.Count} repos could not be compared: {string.Join("; ", comparison.Warnings)}";
            throw new ReleaseRuleException(RuleViolation.Unprocessable,
                $"No repo has commits on '{spec.SourceBranch}' that are not on '{spec.DestBranch}'.{failures}");
        }

        return await grains.GetGrain<IReleaseGrain>(ReleaseId.New()).Create(spec, actor, comparison.Changed, comparison.Warnings);
    }

    public async Task<ReleaseView> RefreshAsync(string releaseId, Actor actor, IProgress<CompareProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var grain = grains.GetGrain<IReleaseGrain>(releaseId);
        var release = await grain.Get() ?? throw new ReleaseRuleException(RuleViolation.NotFound, $"Release {releaseId} not found.");
        if (release.Status == ReleaseStatus.Deployed)
        {
            throw new ReleaseRuleException(RuleViolation.Conflict, $"Release {releaseId} is deployed and can no longer change.");
        }

        var comparison = await sources.CompareAsync(release.SourceBranch, release.DestBranch, progress, cancellationToken);
        return await grain.ApplyRefresh(actor, comparison.Changed, comparison.Warnings);
    }

    /// <summary>The chat channel a release hears in: the one it came from, else the default channel.</summary>
    private NewRelease WithDefaultChannel(NewRelease spec) =>
        spec.ChatChannelId is null && chat.Value is { Enabled: true, DefaultChannel: { } channel } && !string.IsNullOrWhiteSpace(channel)
            ? spec with { ChatChannelId = channel }
            : spec;
}
