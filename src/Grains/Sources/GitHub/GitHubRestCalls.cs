using System.Text;

namespace OrleansReleases.Grains.Sources.GitHub;

/// <summary>
/// One REST call the service makes to GitHub: its method, its path as GitHub's OpenAPI description
/// spells it, the query parameters it may send, the response fields it reads (<c>[]</c> is every
/// item of an array), the request body fields it may send (<see cref="Body"/>, for a POST) and the
/// class and method that make it (<see cref="UsedBy"/>). The callers build their URLs from these,
/// and the contract tests (<c>tests/contracts/github</c>, through <c>tests/OrleansReleases.QueryDump</c>)
/// check every one against GitHub's published description, so the list and the code cannot part.
/// </summary>
public sealed record GitHubRestCall(string Method, string Path, IReadOnlyList<string> Query, IReadOnlyList<string> Reads, string UsedBy)
{
    /// <summary>The fields of the JSON request body the call may send (empty for a GET).</summary>
    public IReadOnlyList<string> Body { get; init; } = [];

    /// <summary>
    /// The path relative to the API root, with the placeholders filled in order by
    /// <paramref name="values"/>, each escaped; a '/' in a value stays a '/' (branch names, refs).
    /// </summary>
    public Uri Url(params string[] values)
    {
        var path = new StringBuilder();
        var next = 0;
        for (var i = 0; i < Path.Length; i++)
        {
            if (Path[i] == '{')
            {
                var end = Path.IndexOf('}', i);
                path.Append(string.Join('/', values[next++].Split('/').Select(Uri.EscapeDataString)));
                i = end;
            }
            else
            {
                path.Append(Path[i]);
            }
        }

        if (next != values.Length)
        {
            throw new ArgumentException($"{Path} takes {next} values, not {values.Length}", nameof(values));
        }

        return new Uri(path.ToString().TrimStart('/'), UriKind.Relative);
    }
}

/// <summary>
/// Every REST call the service makes to GitHub: the comparisons of <see cref="GitHubSource"/>, the
/// commit lists, branches and CI checks of <see cref="GitHubCommitReader"/>, and the commit statuses
/// of <c>CommitStatuses.GitHubStatusPoster</c>.
/// </summary>
public static class GitHubRestCalls
{
    /// <summary>The organisation's repos, page by page (<c>GitHubSource.ListReposAsync</c>); archived and disabled ones are left out.</summary>
    public static readonly GitHubRestCall OrgRepos = new("GET", "/orgs/{org}/repos",
        ["type", "per_page", "page"], ["[].name", "[].archived", "[].disabled"], "GitHubSource.ListReposAsync");

    /// <summary>The source branch's head commit (<c>GitHubSource.BranchHeadAsync</c>): what the comparison and the approvals are pinned to.</summary>
    public static readonly GitHubRestCall BranchRef = new("GET", "/repos/{owner}/{repo}/git/ref/{ref}",
        [], ["object.sha"], "GitHubSource.BranchHeadAsync");

    /// <summary>
    /// The destination compared with that head, page by page in chronological order
    /// (<c>GitHubSource.CompareRepoAsync</c>, <c>GitHubSource.CommitPagesAsync</c>).
    /// </summary>
    public static readonly GitHubRestCall Compare = new("GET", "/repos/{owner}/{repo}/compare/{basehead}",
        ["per_page", "page"], ["ahead_by", "total_commits", "merge_base_commit.sha", "commits[].sha", "commits[].author.login", "commits[].commit.author.name"],
        "GitHubSource.CompareRepoAsync");

    /// <summary>The open pull request from the org's own source branch into the destination (<c>GitHubSource.OpenPullRequestAsync</c>).</summary>
    public static readonly GitHubRestCall OpenPulls = new("GET", "/repos/{owner}/{repo}/pulls",
        ["state", "head", "base", "per_page"], ["[].number", "[].html_url"], "GitHubSource.OpenPullRequestAsync");

    /// <summary>The token's rate-limit windows, read before a comparison goes through REST (<c>GitHubSource.CheckBudgetAsync</c>); GitHub does not count it.</summary>
    public static readonly GitHubRestCall RateLimit = new("GET", "/rate_limit",
        [], ["resources.core.limit", "resources.core.remaining", "resources.core.reset",
            "resources.graphql.limit", "resources.graphql.remaining", "resources.graphql.reset"], "GitHubSource.CheckBudgetAsync");

    /// <summary>
    /// The commits between a release's base and its head, page by page in chronological order, the newest
    /// pages read (<c>GitHubCommitReader.ListCommitsAsync</c>): the same operation as <see cref="Compare"/>, other fields.
    /// </summary>
    public static readonly GitHubRestCall CommitPages = new("GET", "/repos/{owner}/{repo}/compare/{basehead}",
        ["per_page", "page"],
        ["ahead_by", "total_commits", "commits[].sha", "commits[].html_url", "commits[].author.login", "commits[].commit.message",
            "commits[].commit.author.name", "commits[].commit.author.date", "commits[].parents[].sha"],
        "GitHubCommitReader.ListCommitsAsync");

    /// <summary>A branch's head commit, for releases that did not record their base (<c>GitHubCommitReader.ResolveBranchAsync</c>).</summary>
    public static readonly GitHubRestCall Branch = new("GET", "/repos/{owner}/{repo}/branches/{branch}",
        [], ["commit.sha"], "GitHubCommitReader.ResolveBranchAsync");

    /// <summary>The combined status of a commit: its CI statuses, the latest per context (<c>GitHubCommitReader.ReadChecksAsync</c>).</summary>
    public static readonly GitHubRestCall CombinedStatus = new("GET", "/repos/{owner}/{repo}/commits/{ref}/status",
        ["per_page"], ["statuses[].context", "statuses[].state"], "GitHubCommitReader.ReadChecksAsync");

    /// <summary>The check runs of a commit (<c>GitHubCommitReader.ReadChecksAsync</c>).</summary>
    public static readonly GitHubRestCall CheckRuns = new("GET", "/repos/{owner}/{repo}/commits/{ref}/check-runs",
        ["per_page"], ["check_runs[].name", "check_runs[].status", "check_runs[].conclusion"], "GitHubCommitReader.ReadChecksAsync");

    /// <summary>Sets this service's commit status on a commit (<c>GitHubStatusPoster.PostAsync</c>); the answer is not read.</summary>
    public static readonly GitHubRestCall CreateStatus = new("POST", "/repos/{owner}/{repo}/statuses/{sha}",
        [], [], "GitHubStatusPoster.PostAsync")
    {
        Body = ["state", "target_url", "description", "context"],
    };

    public static IReadOnlyList<GitHubRestCall> All { get; } =
        [OrgRepos, BranchRef, Compare, OpenPulls, RateLimit, CommitPages, Branch, CombinedStatus, CheckRuns, CreateStatus];
}

/// <summary>The fields of a repo of the organisation's list that the source reads.</summary>
public sealed class GitHubRepoListing
{
    public string Name { get; set; } = "";

    public bool Archived { get; set; }

    /// <summary>GitHub disabled the repo (billing, a policy): it answers 403 to everything, like an archived one it is not compared.</summary>
    public bool Disabled { get; set; }
}

/// <summary>A git reference (<c>GET /repos/{owner}/{repo}/git/ref/{ref}</c>): the commit it points at.</summary>
public sealed class GitHubGitRef
{
    public GitHubGitObject? Object { get; set; }
}

/// <summary>The object a git reference points at.</summary>
public sealed class GitHubGitObject
{
    public string Sha { get; set; } = "";
}

/// <summary>The answer of <c>GET /rate_limit</c>: the windows the source reads.</summary>
public sealed class GitHubRateLimitAnswer
{
    public GitHubRateLimitResources? Resources { get; set; }
}

/// <summary>The windows of <see cref="GitHubRateLimitAnswer"/>: REST's <c>core</c> and <c>graphql</c>.</summary>
public sealed class GitHubRateLimitResources
{
    public GitHubRateLimitWindow? Core { get; set; }

    public GitHubRateLimitWindow? Graphql { get; set; }
}

/// <summary>One window: its limit, what remains, when it resets (Unix seconds).</summary>
public sealed class GitHubRateLimitWindow
{
    public int Limit { get; set; }

    public int Remaining { get; set; }

    public long Reset { get; set; }

    public GitHubWindow ToWindow() => new(Limit, Remaining, DateTimeOffset.FromUnixTimeSeconds(Reset));
}
