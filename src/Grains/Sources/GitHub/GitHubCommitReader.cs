using System.Globalization;
using Microsoft.Extensions.Logging;
using Octokit;
using OrleansReleases.Grains.Domain;

namespace OrleansReleases.Grains.Sources.GitHub;

/// <summary>
/// The commits and CI checks of a repo of the GitHub organisation, through the same Octokit
/// connection (ETags, throttling, retries) as the comparisons:
/// <list type="bullet">
/// <item>commits: <c>GET /repos/{o}/{r}/compare/{base}...{head}</c> with <c>per_page</c>/<c>page</c>, whose
/// pages list the commits in chronological order; <c>total_commits</c> is the exact count. The newest
/// ones are on the last pages, so those are read (the first page tells how many there are).</item>
/// <item>checks: the combined status (<c>GET …/commits/{sha}/status</c>) and the check runs
/// (<c>GET …/commits/{sha}/check-runs</c>), leaving out this service's own <c>release-gate/*</c>.</item>
/// <item>a branch's head: <c>GET /repos/{o}/{r}/branches/{branch}</c>.</item>
/// </list>
/// The URLs are built from <see cref="GitHubRestCalls"/>, which the contract tests check against GitHub's description.
/// </summary>
public sealed class GitHubCommitReader(GitHubOptions options, GitHubConnectionFactory connections, ILogger<GitHubCommitReader> logger)
    : IRepositoryHistory
{
    private const int PageSize = 100;
    private const string Accept = AcceptHeaders.StableVersionJson;

    /// <summary>The prefix of this service's own commit statuses, which are not CI checks.</summary>
    public const string OwnContextPrefix = "release-gate/";

    public string NamePrefix => "github";

    /// <summary>GitHub's web pages: github.com for the public API, the host's root for GitHub Enterprise Server (<c>/api/v3/</c>), else the API's root.</summary>
    public Uri WebRoot => WebRootOf(options.ApiBaseAddress);

    /// <summary>The web root for an API address (see <see cref="WebRoot"/>).</summary>
    public static Uri WebRootOf(Uri api)
    {
        if (api.Host.Equals("api.github.com", StringComparison.OrdinalIgnoreCase))
        {
            return new Uri("https://github.com/");
        }

        var path = api.AbsolutePath;
        var root = path.EndsWith("/api/v3/", StringComparison.OrdinalIgnoreCase) ? path[..^"api/v3/".Length] : path;
        return new Uri(api, root.EndsWith('/') ? root : root + "/");
    }

    public async Task<CommitList?> ListCommitsAsync(string repo, string baseRef, string headSha, int max, CancellationToken cancellationToken)
    {
        var connection = connections.Create();
        var url = GitHubRestCalls.CommitPages.Url(options.Organization!, repo, $"{BaseOf(baseRef)}...{headSha}");
        var first = await PageAsync(connection, url, 1, cancellationToken);
        if (first is null)
        {
            return null;
        }

        var total = first.TotalCommits > 0 ? first.TotalCommits : first.AheadBy;
        var commits = new List<GitHubCommit>(first.Commits);
        if (total > commits.Count && max > 0)
        {
            // Chronological pages: the newest max commits are the pages from the one holding commit total - max,
            // also when max is smaller than a page (page 1 then holds only older ones).
            var lastPage = (total + PageSize - 1) / PageSize;
            var firstWanted = Math.Max(2, Math.Max(0, total - max) / PageSize + 1);
            var pages = await Task.WhenAll(Enumerable.Range(firstWanted, Math.Max(0, lastPage - firstWanted + 1))
                .Select(page => PageAsync(connection, url, page, cancellationToken)));
            if (pages.Any(p => p is null))
            {
                return null;
            }

            if (firstWanted > 2)
            {
                commits.Clear(); // page 1 holds only older commits than those wanted
            }

            var seen = commits.Select(c => c.Sha).ToHashSet(StringComparer.Ordinal);
            commits.AddRange(pages.SelectMany(p => p!.Commits).Where(c => seen.Add(c.Sha)));
        }

        var newestFirst = commits.AsEnumerable().Reverse().Take(Math.Max(0, max)).Select(ToEntry).ToList();
        return new CommitList(Math.Max(total, newestFirst.Count), newestFirst);
    }

    public async Task<string?> ResolveBranchAsync(string repo, string branch, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await connections.Create().Get<Branch>(GitHubRestCalls.Branch.Url(options.Organization!, repo, branch),
                new Dictionary<string, string>(), Accept, cancellationToken);
            return answer.Body.Commit?.Sha;
        }
        catch (NotFoundException)
        {
            return null;
        }
    }

    public async Task<RepoChecks> ReadChecksAsync(string repo, string sha, CancellationToken cancellationToken)
    {
        var org = options.Organization!;
        var connection = connections.Create();
        var parameters = new Dictionary<string, string> { ["per_page"] = PageSize.ToString(CultureInfo.InvariantCulture) };
        var statusTask = connection.Get<CombinedCommitStatus>(GitHubRestCalls.CombinedStatus.Url(org, repo, sha), parameters, Accept, cancellationToken);
        var runsTask = connection.Get<CheckRunsResponse>(GitHubRestCalls.CheckRuns.Url(org, repo, sha), parameters, Accept, cancellationToken);
        var contexts = new List<(string, CheckState)>();
        try
        {
            var statuses = (await statusTask).Body.Statuses ?? [];
            contexts.AddRange(statuses
                .Where(s => s.Context is not null && !s.Context.StartsWith(OwnContextPrefix, StringComparison.Ordinal))
                .Select(s => (s.Context, StatusState(s.State.StringValue))));
        }
        catch (NotFoundException)
        {
            // no statuses known for the commit
        }

        try
        {
            var runs = (await runsTask).Body.CheckRuns ?? [];
            contexts.AddRange(runs.Select(r => (r.Name, RunState(r.Status.StringValue, r.Conclusion?.StringValue))));
        }
        catch (NotFoundException)
        {
            // no check runs (or the Checks API is not available to this token)
        }

        logger.LogDebug("Read {Count} checks of {Org}/{Repo}@{Sha}", contexts.Count, org, repo, sha);
        return RepoChecks.Combine(contexts, new Uri(WebRoot, $"{org}/{repo}/commit/{sha}/checks").ToString());
    }

    public string? CompareUrl(string repo, string baseRef, string headSha) =>
        new Uri(WebRoot, $"{options.Organization}/{repo}/compare/{BaseOf(baseRef)}...{headSha}").ToString();

    public string? PullRequestUrl(string repo, int number) =>
        new Uri(WebRoot, $"{options.Organization}/{repo}/pull/{number}").ToString();

    /// <summary>A commit status's state: error and failure fail, pending waits, success passes.</summary>
    public static CheckState StatusState(string? state) => state?.ToLowerInvariant() switch
    {
        "success" => CheckState.Success,
        "failure" or "error" => CheckState.Failure,
        _ => CheckState.Pending,
    };

    /// <summary>A check run's state: not completed waits; completed passes when success, neutral or skipped, else fails.</summary>
    public static CheckState RunState(string? status, string? conclusion)
    {
        if (!string.Equals(status, "completed", StringComparison.OrdinalIgnoreCase))
        {
            return CheckState.Pending;
        }

        return conclusion?.ToLowerInvariant() switch
        {
            "success" or "neutral" or "skipped" => CheckState.Success,
            null or "" => CheckState.Pending,
            _ => CheckState.Failure, // failure, cancelled, timed_out, action_required, startup_failure, stale
        };
    }

    private static string BaseOf(string baseRef) => BranchRef.IsBranch(baseRef, out var branch) ? branch : baseRef;

    private async Task<CompareResult?> PageAsync(IConnection connection, Uri url, int page, CancellationToken ct)
    {
        var parameters = new Dictionary<string, string>
        {
            ["per_page"] = PageSize.ToString(CultureInfo.InvariantCulture),
            ["page"] = page.ToString(CultureInfo.InvariantCulture),
        };
        try
        {
            return (await connection.Get<CompareResult>(url, parameters, Accept, ct)).Body;
        }
        catch (Exception ex) when (ex is NotFoundException or ApiValidationException)
        {
            return null; // a commit is gone (force-pushed away, branch deleted and collected), or no common history
        }
    }

    private static CommitEntry ToEntry(GitHubCommit commit)
    {
        var message = commit.Commit?.Message ?? "";
        var newline = message.IndexOf('\n');
        var subject = newline < 0 ? message : message[..newline];
        var body = newline < 0 ? "" : message[(newline + 1)..].Trim();
        var author = commit.Commit?.Author?.Name is { Length: > 0 } name ? name : commit.Author?.Login ?? "";
        var at = commit.Commit?.Author?.Date.UtcDateTime ?? DateTime.UnixEpoch;
        return new CommitEntry(commit.Sha, subject.TrimEnd('\r'), author, DateTime.SpecifyKind(at, DateTimeKind.Utc), commit.HtmlUrl,
            [.. (commit.Parents ?? []).Select(p => p.Sha)], body);
    }
}
