using System.Globalization;

namespace OrleansReleases.Grains.Sources.GitHub;

/// <summary>One rate-limit window as GitHub reports it (<c>GET /rate_limit</c> or the <c>x-ratelimit-*</c> headers).</summary>
public sealed record GitHubWindow(int Limit, int Remaining, DateTimeOffset Reset);

/// <summary>
/// Whether a full comparison fits GitHub's REST ("core") budget, worked out before it starts
/// (<see cref="GitHubBudget.Estimate"/>). A repo compared through REST costs
/// <see cref="GitHubBudget.RequestsPerRepo"/> requests (branch head, compare, pull request; a repo
/// more than 100 commits ahead costs a page more per 100, which cannot be known before); a repo
/// whose answers are already kept with ETags is counted as unchanged (three 304s, which GitHub does
/// not count). With GraphQL batching on, repos go through REST only when GraphQL's window has too
/// few points left for their queries.
/// </summary>
public sealed record GitHubBudgetEstimate(
    int Repos, int RestRepos, int RequestsNeeded, GitHubWindow Core, TimeSpan TimeToFinish, string? GraphQLShortfall)
{
    /// <summary>The comparison fits what is left of REST's window.</summary>
    public bool Fits => RequestsNeeded <= Core.Remaining;

    /// <summary>The refusal's text (a problem's detail, a chat answer), naming the numbers.</summary>
    public string Describe()
    {
        var route = GraphQLShortfall is null
            ? "through GitHub's REST API"
            : FormattableString.Invariant($"({RestRepos:N0} through GitHub's REST API{GraphQLShortfall})");
        return FormattableString.Invariant($"Comparing {Repos:N0} repos {route} needs about {RequestsNeeded:N0} requests, ")
            + FormattableString.Invariant($"{Core.Remaining:N0} remain until {Core.Reset.UtcDateTime:HH:mm} UTC; it would take about {GitHubBudget.Describe(TimeToFinish)} to finish ")
            + "paced by the rate limit — switch on GraphQL batching (Releases:GitHub:GraphQLBatchSize) or wait.";
    }
}

/// <summary>The plain arithmetic of <see cref="GitHubBudgetEstimate"/>.</summary>
public static class GitHubBudget
{
    /// <summary>Requests a repo costs through REST: the branch head, the compare, the pull request.</summary>
    public const int RequestsPerRepo = 3;

    /// <summary>A rate-limit window's length: GitHub's primary limits are per hour.</summary>
    public static readonly TimeSpan WindowLength = TimeSpan.FromHours(1);

    /// <param name="repos">The repos to compare.</param>
    /// <param name="cachedRepos">Of those, the repos whose REST answers are kept with ETags (counted as unchanged, free).</param>
    /// <param name="graphQLBatchSize">Repos per GraphQL query; 0: REST only.</param>
    /// <param name="core">REST's window now.</param>
    /// <param name="graphQL">GraphQL's window now, if known (unknown: taken to be enough).</param>
    /// <param name="now">The time now.</param>
    public static GitHubBudgetEstimate Estimate(int repos, int cachedRepos, int graphQLBatchSize, GitHubWindow core, GitHubWindow? graphQL, DateTimeOffset now)
    {
        var restRepos = repos;
        string? shortfall = null;
        if (graphQLBatchSize > 0)
        {
            var queries = (repos + graphQLBatchSize - 1) / graphQLBatchSize;
            var points = graphQL is null || graphQL.Reset <= now ? int.MaxValue : graphQL.Remaining;
            restRepos = queries <= points ? 0 : Math.Max(0, repos - (points * graphQLBatchSize));
            if (restRepos > 0)
            {
                shortfall = string.Create(CultureInfo.InvariantCulture,
                    $": GraphQL's window has {points:N0} points left of the {queries:N0} queries needed");
            }
        }

        // Which repos go through REST is not known in advance: the cached share is taken to hold for them too.
        var uncached = repos == 0 ? 0 : (long)restRepos * Math.Clamp(repos - cachedRepos, 0, repos) / repos;
        var needed = (int)Math.Min(int.MaxValue, uncached * RequestsPerRepo);
        var remaining = core.Reset > now ? core.Remaining : core.Limit; // a window past its reset is full again
        var window = core with { Remaining = remaining, Reset = core.Reset > now ? core.Reset : now + WindowLength };
        var time = TimeSpan.Zero;
        if (needed > remaining && core.Limit > 0)
        {
            // What is left now, then a full window an hour.
            time = (window.Reset - now) + WindowLength * ((double)(needed - remaining) / core.Limit);
        }

        return new GitHubBudgetEstimate(repos, restRepos, needed, window, time, shortfall);
    }

    /// <summary>A duration as people say it: "40 min", "2 h 15 min".</summary>
    public static string Describe(TimeSpan time)
    {
        var minutes = (int)Math.Ceiling(Math.Max(0, time.TotalMinutes));
        return minutes < 60
            ? string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, minutes)} min")
            : string.Create(CultureInfo.InvariantCulture, $"{minutes / 60} h {minutes % 60} min");
    }
}
