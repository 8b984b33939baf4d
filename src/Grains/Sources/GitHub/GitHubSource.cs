using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Octokit;
using OrleansReleases.Grains.Domain;

namespace OrleansReleases.Grains.Sources.GitHub;

/// <summary>
/// A GitHub organisation: every non-archived repo of <see cref="GitHubOptions.Organization"/> that
/// the name patterns let through, compared <c>dest...source</c> with the compare API. Commits are
/// counted by <c>ahead_by</c> (exact beyond the 250 commits one answer lists); contributors are the
/// commits' GitHub logins (the author name where a commit has no linked user); the head is the
/// source branch's commit; the open pull request from source to destination comes along.
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
    ILogger<GitHubSource> logger) : IRepositorySource
{
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

        // The listing hands over repos in groups: one at a time for REST, a query's worth for GraphQL.
        var groupSize = Math.Max(1, options.GraphQLBatchSize);
        var groups = Channel.CreateUnbounded<string[]>();
        var listing = Task.Run(async () =>
        {
            try
            {
                await ListReposAsync(connection, org, async page =>
                {
                    foreach (var group in page.Chunk(groupSize))
                    {
                        foreach (var name in group)
                        {
                            examined.Add(name);
                        }

                        await groups.Writer.WriteAsync(group, cancellationToken);
                    }
                }, warnings, cancellationToken);
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
    /// Lists the organisation's repos page by page: the first page tells (by its <c>last</c> link)
    /// how many pages follow, and those are asked for together. Each repo that takes part is handed
    /// to <paramref name="found"/> with its page as soon as the page arrives. A page that fails is a warning.
    /// </summary>
    private async Task ListReposAsync(IConnection connection, string org, Func<string[], Task> found,
        ConcurrentBag<string> warnings, CancellationToken ct)
    {
        var url = ApiUrls.OrganizationRepositories(org);
        async Task<IApiResponse<List<Repository>>?> PageAsync(int page)
        {
            try
            {
                var parameters = new Dictionary<string, string>
                {
                    ["type"] = "all",
                    ["per_page"] = PageSize.ToString(CultureInfo.InvariantCulture),
                    ["page"] = page.ToString(CultureInfo.InvariantCulture),
                };
                var response = await connection.Get<List<Repository>>(url, parameters, Accept, ct);
                await found([.. response.Body.Where(r => !r.Archived && _filter.Matches(r.Name)).Select(r => r.Name)]);

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

    /// <summary>The change on one repo, or null when it lacks either branch or the source has nothing new.</summary>
    private async Task<RepoChange?> CompareRepoAsync(IConnection connection, string org, string name,
        string sourceBranch, string destBranch, CancellationToken ct)
    {
        var url = ApiUrls.RepoCompare(org, name, destBranch, sourceBranch);
        CompareResult comparison;
        try
        {
            comparison = (await connection.Get<CompareResult>(url, new Dictionary<string, string>(), Accept, ct)).Body;
        }
        catch (NotFoundException)
        {
            return null; // a repo lacking either branch is not part of the release
        }
        catch (ApiValidationException ex)
        {
            // 422: the branches share no history, so "commits the destination lacks" has no answer.
            throw new InvalidOperationException($"'{sourceBranch}' and '{destBranch}' have no common history (GitHub answered 422: {ex.Message})", ex);
        }

        if (comparison.AheadBy <= 0)
        {
            return null;
        }

        var commits = comparison.Commits.ToList();
        if (comparison.AheadBy > commits.Count)
        {
            commits = await AllCommitsAsync(connection, url, commits, comparison.AheadBy, ct);
        }

        var contributors = commits
            .Select(c => c.Author?.Login is { Length: > 0 } login ? login : c.Commit?.Author?.Name)
            .Where(c => !string.IsNullOrEmpty(c))
            .Select(c => c!)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

        // GitHub lists a comparison's commits oldest first, so the source branch's head comes last.
        var head = commits.Count > 0 ? commits[^1].Sha : "";
        var pull = await OpenPullRequestAsync(connection, org, name, sourceBranch, destBranch, ct);
        return new RepoChange(name, comparison.AheadBy, contributors, head, pull?.Number, pull?.HtmlUrl, BaseSha: comparison.MergeBaseCommit?.Sha);
    }

    /// <summary>
    /// The commits beyond those the first answer lists (GitHub lists 250): the pages of 100 from the
    /// first one not wholly listed (the third, after 250), asked for together.
    /// </summary>
    private static async Task<List<GitHubCommit>> AllCommitsAsync(IConnection connection, Uri url, List<GitHubCommit> listed,
        int aheadBy, CancellationToken ct)
    {
        var firstMissingPage = listed.Count / PageSize + 1;
        var lastPage = (aheadBy + PageSize - 1) / PageSize;
        var pages = await Task.WhenAll(Enumerable.Range(firstMissingPage, lastPage - firstMissingPage + 1).Select(async page =>
        {
            var parameters = new Dictionary<string, string>
            {
                ["per_page"] = PageSize.ToString(CultureInfo.InvariantCulture),
                ["page"] = page.ToString(CultureInfo.InvariantCulture),
            };
            return (await connection.Get<CompareResult>(url, parameters, Accept, ct)).Body.Commits;
        }));

        var seen = listed.Select(c => c.Sha).ToHashSet(StringComparer.Ordinal);
        var all = new List<GitHubCommit>(listed);
        all.AddRange(pages.SelectMany(page => page).Where(c => seen.Add(c.Sha)));
        return all;
    }

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
        var pulls = await connection.Get<List<PullRequest>>(ApiUrls.PullRequests(org, name), parameters, Accept, ct);
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
