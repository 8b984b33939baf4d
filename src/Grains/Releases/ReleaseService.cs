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
public sealed class ReleaseService(IGrainFactory grains, RepositorySources sources, IOptions<MattermostOptions> chat, ComparisonDetails details)
{
    private readonly RefreshFlights _refreshes = new();

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

        comparison = await details.AddAsync(comparison, spec.DestBranch, null, cancellationToken);
        spec = spec with { Carried = await details.CarriedAsync(spec.SourceBranch, spec.DestBranch, cancellationToken) };
        return await grains.GetGrain<IReleaseGrain>(ReleaseId.New()).Create(spec, actor, comparison.Changed, comparison.Warnings);
    }

    /// <summary>
    /// Compares the branches again and hands the result to the release. Refreshes of one release
    /// run one at a time here (see <see cref="RefreshFlights"/>), and the grain never applies a
    /// comparison that began before the one it last applied.
    /// </summary>
    public Task<ReleaseView> RefreshAsync(string releaseId, Actor actor, IProgress<CompareProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        _refreshes.RunAsync(releaseId, progress, shared => RefreshOnceAsync(releaseId, actor, shared), cancellationToken);

    private async Task<ReleaseView> RefreshOnceAsync(string releaseId, Actor actor, IProgress<CompareProgress> progress)
    {
        var grain = grains.GetGrain<IReleaseGrain>(releaseId);
        var release = await OpenReleaseAsync(grain, releaseId);
        var ticket = await grain.BeginComparison();

        // Shared by every caller that joined: one caller giving up does not cancel it for the others.
        var comparison = await sources.CompareAsync(release.SourceBranch, release.DestBranch, progress, CancellationToken.None);
        comparison = await details.AddAsync(comparison, release.DestBranch, await grain.GetDeltaBases(), CancellationToken.None);
        return await grain.ApplyRefresh(actor, ticket, ToCompared(comparison));
    }

    /// <summary>
    /// Compares only <paramref name="repos"/> (of the source with prefix <paramref name="source"/>)
    /// and hands the results to the release, every other repo unchanged: what a push costs, a few
    /// requests instead of a comparison of the whole organisation. Ordered with every other
    /// comparison by its ticket; when one that began later was applied first, compares again (at
    /// most three times). Null when the source has none of these repos.
    /// </summary>
    public async Task<ReleaseView?> RefreshReposAsync(string releaseId, string source, IReadOnlyCollection<string> repos, Actor actor,
        CancellationToken cancellationToken = default)
    {
        var grain = grains.GetGrain<IReleaseGrain>(releaseId);
        for (var attempt = 1; ; attempt++)
        {
            var release = await OpenReleaseAsync(grain, releaseId);
            var ticket = await grain.BeginComparison();
            var compared = new List<ComparedRepo>();
            foreach (var repo in repos)
            {
                if (await sources.CompareRepoAsync(source, repo, release.SourceBranch, release.DestBranch, cancellationToken) is { } result)
                {
                    compared.Add(result);
                }
            }

            if (compared.Count == 0)
            {
                return null;
            }

            var outcome = await grain.ApplyRepoComparisons(actor, ticket, compared);
            if (outcome.Applied || attempt == 3)
            {
                return outcome.Release;
            }
        }
    }

    /// <summary>
    /// Deploys, after comparing the branches again: when an included repo's head moved, the set of
    /// repos changed, or an included repo could not be compared, the comparison is stored as a
    /// refresh (dismissing approvals it no longer matches) and the deploy is refused (409) naming why.
    /// </summary>
    public async Task<ReleaseView> DeployAsync(string releaseId, Actor actor, CancellationToken cancellationToken = default) =>
        await DeployAsync(releaseId, actor, FreezeCheck.None, cancellationToken);

    /// <inheritdoc cref="DeployAsync(string, Actor, CancellationToken)"/>
    /// <param name="freeze">The freeze in force (refused unless overridden), checked before comparing and again by the grain.</param>
    public async Task<ReleaseView> DeployAsync(string releaseId, Actor actor, FreezeCheck freeze, CancellationToken cancellationToken = default)
    {
        var grain = grains.GetGrain<IReleaseGrain>(releaseId);
        var release = await OpenReleaseAsync(grain, releaseId);
        if (release.Status is not (ReleaseStatus.Approved or ReleaseStatus.Deploying))
        {
            throw new ReleaseRuleException(RuleViolation.Conflict, Release.NotApproved); // no comparison needed to say so
        }

        if (freeze.Freeze is { } frozen && string.IsNullOrWhiteSpace(freeze.OverrideReason))
        {
            throw new ReleaseRuleException(RuleViolation.Conflict, $"{frozen.Describe()} Until it ends, the release may not be marked deployed.");
        }

        var ticket = await grain.BeginComparison();
        var comparison = await sources.CompareAsync(release.SourceBranch, release.DestBranch, null, cancellationToken);
        comparison = await details.AddAsync(comparison, release.DestBranch, await grain.GetDeltaBases(), cancellationToken);
        var outcome = await grain.Deploy(actor, ticket, ToCompared(comparison), freeze);
        return outcome.RefusedBecause is { } why
            ? throw new ReleaseRuleException(RuleViolation.Conflict, why)
            : outcome.Release;
    }

    private static async Task<ReleaseView> OpenReleaseAsync(IReleaseGrain grain, string releaseId)
    {
        var release = await grain.Get() ?? throw new ReleaseRuleException(RuleViolation.NotFound, $"Release {releaseId} not found.");
        if (release.Status == ReleaseStatus.Deployed)
        {
            throw new ReleaseRuleException(RuleViolation.Conflict, $"Release {releaseId} is deployed and can no longer change.");
        }

        return release;
    }

    private static ComparedRepos ToCompared(SourceComparison comparison) =>
        new(comparison.Changed, comparison.Warnings, comparison.Failed ?? []);

    /// <summary>The chat channel a release hears in: the one it came from, else the default channel.</summary>
    private NewRelease WithDefaultChannel(NewRelease spec) =>
        spec.ChatChannelId is null && chat.Value is { Enabled: true, DefaultChannel: { } channel } && !string.IsNullOrWhiteSpace(channel)
            ? spec with { ChatChannelId = channel }
            : spec;
}
