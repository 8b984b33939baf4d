using Microsoft.Extensions.Logging;
using Octokit.Webhooks;
using Octokit.Webhooks.Events;
using Octokit.Webhooks.Events.CheckRun;
using Octokit.Webhooks.Events.CheckSuite;
using Octokit.Webhooks.Models;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Grains.Sources.GitHub;

namespace OrleansReleases.Web.Webhooks;

/// <summary>
/// What the service does with GitHub's webhook events (parsed by Octokit.Webhooks): a push to a
/// branch of a repo the GitHub source compares is handed to the <see cref="BranchPushRefresher"/>.
/// Tags, and repos outside the organisation or its name patterns, change no release.
/// <c>status</c>, <c>check_run</c> and <c>check_suite</c> events hand the commit to the
/// <see cref="ChecksRefresher"/>, which updates the checks of open releases holding it (this
/// service's own <c>release-gate/*</c> statuses are not checks and are ignored).
/// </summary>
public sealed class ReleasesWebhookProcessor(BranchPushRefresher refresher, GitHubOptions options, ILogger<ReleasesWebhookProcessor> logger,
    ChecksRefresher checks)
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

    protected override ValueTask ProcessStatusWebhookAsync(WebhookHeaders headers, StatusEvent statusEvent, CancellationToken cancellationToken = default)
    {
        if (statusEvent.Context?.StartsWith(GitHubCommitReader.OwnContextPrefix, StringComparison.Ordinal) != true)
        {
            ChecksChanged(headers, statusEvent.Repository, statusEvent.Sha);
        }

        return ValueTask.CompletedTask;
    }

    protected override ValueTask ProcessCheckRunWebhookAsync(WebhookHeaders headers, CheckRunEvent checkRunEvent, CheckRunAction action,
        CancellationToken cancellationToken = default)
    {
        ChecksChanged(headers, checkRunEvent.Repository, checkRunEvent.CheckRun?.HeadSha);
        return ValueTask.CompletedTask;
    }

    protected override ValueTask ProcessCheckSuiteWebhookAsync(WebhookHeaders headers, CheckSuiteEvent checkSuiteEvent, CheckSuiteAction action,
        CancellationToken cancellationToken = default)
    {
        ChecksChanged(headers, checkSuiteEvent.Repository, checkSuiteEvent.CheckSuite?.HeadSha);
        return ValueTask.CompletedTask;
    }

    private void ChecksChanged(WebhookHeaders headers, Repository? repo, string? sha)
    {
        if (repo is null || string.IsNullOrEmpty(sha))
        {
            return;
        }

        var owner = repo.Owner?.Login ?? "";
        if (options.IsConfigured && (!owner.Equals(options.Organization, StringComparison.OrdinalIgnoreCase) || !_filter.Matches(repo.Name)))
        {
            logger.LogDebug("Ignored the checks of {Repository}: not a repo of the GitHub source", repo.FullName);
            return;
        }

        logger.LogInformation("GitHub {Event} for {Repository}@{Sha} (delivery {Delivery}): reading its checks",
            headers.Event, repo.FullName, sha, headers.Delivery);
        checks.Enqueue(new CommitChecksChanged(repo.Name, sha));
    }
}
