using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Octokit;
using OrleansReleases.Grains.Domain;

namespace OrleansReleases.Grains.Sources.GitHub;

/// <summary>
/// A GitHub organisation: every repo of <see cref="GitHubOptions.Organization"/> that is neither
/// archived nor disabled and that the name patterns let through, compared <c>dest...head</c> with
/// the compare API, where head is the commit the source branch points at (read from the branch).
/// Commits are counted by <c>ahead_by</c> and read page by page (chronological with paging
/// parameters, as GitHub documents); contributors are the commits' GitHub logins (the author name
/// where a commit has no linked user); the open pull request from the org's own source branch to
/// the destination comes along. The REST calls are listed in <see cref="GitHubRestCalls"/>.
/// <para>
/// Fast: comparing starts as soon as the first page of repos is listed, the other pages are
/// listed at once, and repos are compared concurrently within <see cref="GitHubOptions.Parallelism"/>.
/// Polite: every answer is kept with its ETag, so asking again about an unchanged repo costs a 304
/// and no rate limit, and requests slow down as the rate limit runs low (see the handlers).
/// With <see cref="GitHubOptions.GraphQLBatchSize"/> set, repos are compared that many at a time
/// by one GraphQL query each (<see cref="GitHubBatchComparer"/>), and only the repos a query
/// cannot settle go through REST.
/// </para>
/// </summary>
public sealed class GitHubSource(
    GitHubOptions options,
    GitHubConnectionFactory connections,
    GitHubBatchComparer batches,
    GitHubRateLimit rateLimit,
    GitHubResponseCache cache,
    TimeProvider clock,
    ILogger<GitHubSource> logger) : IRepositorySource
{
    /// <summary>
    /// With GraphQL on, the budget is checked before comparing only when GraphQL's window was last
    /// seen below this many points (enough for 25,000 repos at 25 a query): otherwise GraphQL covers it.
    /// </summary>
    private const int GraphQLLowPoints = 1000;

    /// <summary>The most GitHub lists per page (repos, and commits of a compare page).</summary>
    private const int PageSize = 100;

    private const string Accept = AcceptHeaders.StableVersionJson;

    private readonly RepoNameFilter _filter = new(options.Include, options.Exclude);

    public string Name => "github";

    public string NamePrefix => "github";

    public async Task<SourceComparison> CompareAsync(string sourceBranch, string destBranch,
        IProgress<CompareProgress>? progress, CancellationToken cancellationToken)
    {
        var org = options.Organization!;
        var connection = connections.Create();
        var changed = new ConcurrentBag<RepoChange>();
        var warnings = new ConcurrentBag<string>();
        var failed = new ConcurrentBag<string>();
        var examined = new ConcurrentBag<string>();
        var compared = 0;
        var listingDone = false;
        void ReportProgress()
        {
            if (Volatile.Read(ref listingDone))
            {
                progress?.Report(new CompareProgress(Volatile.Read(ref compared), examined.Count));
            }
        }

        // Through REST only (or with GraphQL's window nearly used up) the repos are listed first and the
        // comparison is refused before it starts if it cannot fit REST's budget (see GitHubBudget).
        List<string>? listed = null;
        if (options.GraphQLBatchSize <= 0 || rateLimit.RemainingOf(GitHubRateLimit.GraphQL) is < GraphQLLowPoints)
        {
            var pages = new ConcurrentQueue<string[]>();
            await ListReposAsync(connection, org, page =>
            {
                pages.Enqueue(page);
                return Task.CompletedTask;
            }, warnings, cancellationToken);
            listed = [.. pages.SelectMany(page => page)];
            await CheckBudgetAsync(connection, org, listed, sourceBranch, cancellationToken);
        }

        // The listing hands over repos in groups: one at a time for REST, a query's worth for GraphQL.
        var groupSize = Math.Max(1, options.GraphQLBatchSize);
        var groups = Channel.CreateUnbounded<string[]>();
        var listing = Task.Run(async () =>
        {
            try
            {
                Func<string[], Task> hand = async page =>
                {
                    foreach (var group in page.Chunk(groupSize))
                    {
                        foreach (var name in group)
                        {
                            examined.Add(name);
                        }

                        await groups.Writer.WriteAsync(group, cancellationToken);
                    }
                };
                if (listed is not null)
                {
                    await hand([.. listed]);
                }
                else
                {
                    await ListReposAsync(connection, org, hand, warnings, cancellationToken);
                }
            }
            finally
            {
                groups.Writer.Complete();
            }
        }, cancellationToken);

        async Task CompareOneAsync(string name, CancellationToken ct)
        {
            try
            {
                if (await CompareRepoAsync(connection, org, name, sourceBranch, destBranch, ct) is { } change)
                {
                    changed.Add(change);
                }
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                var reason = GitHubFailure.Describe(ex, options.Token);
                logger.LogWarning("Could not compare {Org}/{Repo}: {Reason}", org, name, reason);
                warnings.Add($"{name}: {reason}");
                failed.Add(name);
            }
        }

        await Parallel.ForEachAsync(groups.Reader.ReadAllAsync(cancellationToken),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism), CancellationToken = cancellationToken },
            async (group, ct) =>
            {
                var unsettled = group;
                if (options.GraphQLBatchSize > 0)
                {
                    unsettled = await CompareBatchAsync(org, group, sourceBranch, destBranch, changed, ct);
                }

                await Task.WhenAll(unsettled.Select(name => CompareOneAsync(name, ct)));
                Interlocked.Add(ref compared, group.Length);
                ReportProgress();
            });

        await listing;
        Volatile.Write(ref listingDone, true);
        ReportProgress();

        return new SourceComparison(
            [.. changed.OrderBy(c => c.Name, StringComparer.Ordinal)],
            [.. warnings.Order(StringComparer.Ordinal)],
            [.. examined],
            [.. failed.Order(StringComparer.Ordinal)]);
    }

    /// <summary>
    /// Refuses (409, <see cref="ReleaseRuleException"/>) a comparison that cannot fit what is left of
    /// REST's rate limit, before any repo is compared: reads <c>GET /rate_limit</c> (not counted by
    /// GitHub) and the repos whose answers are kept with ETags, and estimates with
    /// <see cref="GitHubBudget"/>. When GitHub has no rate limit to tell (Enterprise Server with it
    /// off answers 404) or the read fails, the comparison goes ahead, paced as ever.
    /// </summary>
    private async Task CheckBudgetAsync(IConnection connection, string org, IReadOnlyList<string> names, string sourceBranch, CancellationToken ct)
    {
        if (names.Count == 0)
        {
            return;
        }

        GitHubRateLimitResources? windows;
        try
        {
            windows = (await connection.Get<GitHubRateLimitAnswer>(GitHubRestCalls.RateLimit.Url(), new Dictionary<string, string>(), Accept, ct)).Body.Resources;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogInformation("Could not read GitHub's rate limit ({Reason}); comparing without a budget check", GitHubFailure.Describe(ex, options.Token));
            return;
        }

        if (windows?.Core is not { } core)
        {
            return;
        }

        // Repos whose source branch head was read before: their answers are kept, and unchanged ones cost 304s (free).
        const string Marker = "repo-name-here";
        var sample = new Uri(options.ApiBaseAddress, GitHubRestCalls.BranchRef.Url(org, Marker, "heads/" + sourceBranch)).AbsoluteUri;
        var at = sample.IndexOf(Marker, StringComparison.Ordinal);
        var kept = await cache.NamesKeptAsync(sample[..at], sample[(at + Marker.Length)..], ct);
        var estimate = GitHubBudget.Estimate(names.Count, names.Count(kept.Contains), options.GraphQLBatchSize,
            core.ToWindow(), windows.Graphql?.ToWindow(), clock.GetUtcNow());
        if (!estimate.Fits)
        {
            logger.LogWarning("Refusing to compare {Org}: {Reason}", org, estimate.Describe());
            throw new ReleaseRuleException(RuleViolation.Conflict, estimate.Describe());
        }

        if (estimate.RequestsNeeded > 0)
        {
            logger.LogInformation("github: comparing {Repos} repos of {Org} needs about {Needed} REST requests; {Remaining} remain",
                estimate.Repos, org, estimate.RequestsNeeded, estimate.Core.Remaining);
        }
    }

    /// <summary>
    /// Lists the organisation's repos page by page: the first page tells (by its <c>last</c> link)
    /// how many pages follow, and those are asked for together. Each repo that takes part is handed
    /// to <paramref name="found"/> with its page as soon as the page arrives. A page that fails is a warning.
    /// </summary>
    private async Task ListReposAsync(IConnection connection, string org, Func<string[], Task> found,
        ConcurrentBag<string> warnings, CancellationToken ct)
    {
        var url = GitHubRestCalls.OrgRepos.Url(org);
        async Task<IApiResponse<List<GitHubRepoListing>>?> PageAsync(int page)
        {
            try
            {
                var parameters = new Dictionary<string, string>
                {
                    ["type"] = "all",
                    ["per_page"] = PageSize.ToString(CultureInfo.InvariantCulture),
                    ["page"] = page.ToString(CultureInfo.InvariantCulture),
                };
                var response = await connection.Get<List<GitHubRepoListing>>(url, parameters, Accept, ct);
                // Archived and disabled repos are not compared (a disabled one answers 403 to everything).
                await found([.. response.Body.Where(r => !r.Archived && !r.Disabled && _filter.Matches(r.Name)).Select(r => r.Name)]);

                return response;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                var reason = GitHubFailure.Describe(ex, options.Token);
                logger.LogWarning("Could not list page {Page} of the repos of {Org}: {Reason}", page, org, reason);
                warnings.Add($"{org} (page {page} of its repos): {reason}; the repos on that page were not compared");
                return null;
            }
        }

        var first = await PageAsync(1);
        if (first?.HttpResponse.ApiInfo.Links.TryGetValue("last", out var last) == true && PageOf(last) is > 1 and var lastPage)
        {
            await Task.WhenAll(Enumerable.Range(2, lastPage - 1).Select(PageAsync));
        }
    }

    /// <summary>
    /// Compares a group of repos with one GraphQL query; the changes it settles are added to
    /// <paramref name="changed"/>, and the repos it does not settle are returned for REST. When the
    /// query fails (after its retries) every repo of the group goes through REST.
    /// </summary>
    private async Task<string[]> CompareBatchAsync(string org, string[] group, string sourceBranch, string destBranch,
        ConcurrentBag<RepoChange> changed, CancellationToken ct)
    {
        try
        {
            var outcomes = await batches.CompareAsync(org, group, sourceBranch, destBranch, ct);
            foreach (var change in outcomes.Select(o => o.Change).OfType<RepoChange>())
            {
                changed.Add(change);
            }

            return [.. group.Where((_, i) => !outcomes[i].Settled)];
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("A GraphQL comparison of {Count} repos of {Org} failed ({Reason}); comparing them one by one",
                group.Length, org, GitHubFailure.Describe(ex, options.Token));
            return group;
        }
    }

    /// <summary>One repo (after a push to it), through the REST compare path: three requests (branch head, compare, pull request).</summary>
    public async Task<ComparedRepo?> CompareRepoAsync(string repo, string sourceBranch, string destBranch, CancellationToken cancellationToken)
    {
        if (!_filter.Matches(repo))
        {
            return null;
        }

        try
        {
            return new ComparedRepo(repo, NamePrefix,
                await CompareRepoAsync(connections.Create(), options.Organization!, repo, sourceBranch, destBranch, cancellationToken), null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = GitHubFailure.Describe(ex, options.Token);
            logger.LogWarning("Could not compare {Org}/{Repo}: {Reason}", options.Organization, repo, reason);
            return new ComparedRepo(repo, NamePrefix, null, $"{repo}: {reason}");
        }
    }

    /// <summary>
    /// The change on one repo, or null when it lacks either branch or the source has nothing new.
    /// The head is read from the source branch itself and the comparison is made up to exactly
    /// that commit, so the head, the count and the contributors describe the same commits.
    /// </summary>
    private async Task<RepoChange?> CompareRepoAsync(IConnection connection, string org, string name,
        string sourceBranch, string destBranch, CancellationToken ct)
    {
        if (await BranchHeadAsync(connection, org, name, sourceBranch, ct) is not { } head)
        {
            return null; // a repo lacking the source branch is not part of the release
        }

        var url = GitHubRestCalls.Compare.Url(org, name, $"{destBranch}...{head}");
        CompareResult first;
        try
        {
            first = await ComparePageAsync(connection, url, 1, ct);
        }
        catch (NotFoundException ex) when (IsNoCommonAncestor(ex.Message))
        {
            // GitHub answers 404 "No common ancestor between X and Y." for unrelated histories: unlike
            // a missing branch, the repo is part of the release but cannot be compared. Say so.
            throw UnrelatedHistories(sourceBranch, destBranch, 404, ex);
        }
        catch (NotFoundException)
        {
            return null; // a repo lacking the destination branch is not part of the release
        }
        catch (ApiValidationException ex)
        {
            throw UnrelatedHistories(sourceBranch, destBranch, 422, ex); // older GitHub Enterprise Server versions answer 422
        }

        if (first.AheadBy <= 0)
        {
            return null;
        }

        // With paging parameters GitHub lists a comparison's commits in chronological order, page by page;
        // total_commits counts them all. The other pages are asked for together.
        var commits = first.Commits.ToList();
        var lastPage = (Math.Max(first.TotalCommits, first.AheadBy) + PageSize - 1) / PageSize;
        if (lastPage > 1)
        {
            var rest = await Task.WhenAll(Enumerable.Range(2, lastPage - 1).Select(page => ComparePageAsync(connection, url, page, ct)));
            var seen = commits.Select(c => c.Sha).ToHashSet(StringComparer.Ordinal);
            commits.AddRange(rest.SelectMany(page => page.Commits).Where(c => seen.Add(c.Sha)));
        }

        var contributors = commits
            .Select(c => c.Author?.Login is { Length: > 0 } login ? login : c.Commit?.Author?.Name)
            .Where(c => !string.IsNullOrEmpty(c))
            .Select(c => c!)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

        var pull = await OpenPullRequestAsync(connection, org, name, sourceBranch, destBranch, ct);
        return new RepoChange(name, first.AheadBy, contributors, head, pull?.Number, pull?.HtmlUrl, BaseSha: first.MergeBaseCommit?.Sha);
    }

    /// <summary>The commit <paramref name="branch"/> points at, or null when the repo has no such branch.</summary>
    private static async Task<string?> BranchHeadAsync(IConnection connection, string org, string name, string branch, CancellationToken ct)
    {
        try
        {
            var reference = await connection.Get<GitHubGitRef>(GitHubRestCalls.BranchRef.Url(org, name, "heads/" + branch),
                new Dictionary<string, string>(), Accept, ct);
            return reference.Body.Object?.Sha is { Length: > 0 } sha ? sha : null;
        }
        catch (NotFoundException)
        {
            return null;
        }
    }

    /// <summary>One page of 100 commits of a comparison (GitHub's first page also carries the counts).</summary>
    private static async Task<CompareResult> ComparePageAsync(IConnection connection, Uri url, int page, CancellationToken ct)
    {
        var parameters = new Dictionary<string, string>
        {
            ["per_page"] = PageSize.ToString(CultureInfo.InvariantCulture),
            ["page"] = page.ToString(CultureInfo.InvariantCulture),
        };
        return (await connection.Get<CompareResult>(url, parameters, Accept, ct)).Body;
    }

    /// <summary>GitHub's answer for two branches that share no commit.</summary>
    public static bool IsNoCommonAncestor(string? message) =>
        message?.StartsWith("No common ancestor", StringComparison.OrdinalIgnoreCase) == true;

    private static InvalidOperationException UnrelatedHistories(string sourceBranch, string destBranch, int status, ApiException ex) =>
        new($"'{sourceBranch}' and '{destBranch}' have no common history (GitHub answered {status}: {ex.Message})", ex);

    /// <summary>The open pull request from the source branch into the destination, if there is one.</summary>
    private static async Task<PullRequest?> OpenPullRequestAsync(IConnection connection, string org, string name,
        string sourceBranch, string destBranch, CancellationToken ct)
    {
        var parameters = new Dictionary<string, string>
        {
            ["state"] = "open",
            ["head"] = $"{org}:{sourceBranch}",
            ["base"] = destBranch,
            ["per_page"] = "1",
        };
        var pulls = await connection.Get<List<PullRequest>>(GitHubRestCalls.OpenPulls.Url(org, name), parameters, Accept, ct);
        return pulls.Body.FirstOrDefault();
    }

    /// <summary>The <c>page</c> number of a page link.</summary>
    private static int? PageOf(Uri link)
    {
        var query = link.Query.TrimStart('?').Split('&');
        var page = query.Select(part => part.Split('=', 2)).FirstOrDefault(kv => kv.Length == 2 && kv[0] == "page");
        return page is not null && int.TryParse(page[1], NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
    }
}
