using Microsoft.Extensions.Logging;
using Octokit.Webhooks;
using Octokit.Webhooks.Events;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Grains.Sources.GitHub;

namespace OrleansReleases.Web.Webhooks;

/// <summary>
/// What the service does with GitHub's webhook events (parsed by Octokit.Webhooks): a push to a
/// branch of a repo the GitHub source compares is handed to the <see cref="BranchPushRefresher"/>.
/// Tags, and repos outside the organisation or its name patterns, change no release.
/// </summary>
public sealed class ReleasesWebhookProcessor(BranchPushRefresher refresher, GitHubOptions options, ILogger<ReleasesWebhookProcessor> logger)
    : WebhookEventProcessor
{
    private const string BranchPrefix = "refs/heads/";

    private readonly RepoNameFilter _filter = new(options.Include, options.Exclude);

    protected override ValueTask ProcessPushWebhookAsync(WebhookHeaders headers, PushEvent pushEvent, CancellationToken cancellationToken = default)
    {
        var repo = pushEvent.Repository;
        if (!pushEvent.Ref.StartsWith(BranchPrefix, StringComparison.Ordinal) || repo is null)
        {
            return ValueTask.CompletedTask;
        }

        var owner = repo.Owner?.Login ?? "";
        if (options.IsConfigured && (!owner.Equals(options.Organization, StringComparison.OrdinalIgnoreCase) || !_filter.Matches(repo.Name)))
        {
            logger.LogDebug("Ignored a push to {Repository}: not a repo of the GitHub source", repo.FullName);
            return ValueTask.CompletedTask;
        }

        var branch = pushEvent.Ref[BranchPrefix.Length..];
        logger.LogInformation("GitHub push to {Repository}@{Branch} (delivery {Delivery}): refreshing the open releases of that branch",
            repo.FullName, branch, headers.Delivery);
        refresher.Enqueue(new BranchPush(repo.FullName, branch));
        return ValueTask.CompletedTask;
    }
}
