using Microsoft.Extensions.Logging;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Releases;

namespace OrleansReleases.Grains.Insights;

/// <summary>
/// Gathers what <see cref="DoraCalculator"/> needs: the releases that changed in the range (index and
/// history) and, for those deployed, the commits their included repos shipped with author times, from
/// the commit lists (<see cref="ReleaseCommits"/>: the <c>repo_commits</c> table, else the source).
/// Bounded: at most <see cref="MaxDeployedRead"/> deployed releases and <see cref="MaxReposRead"/> repos
/// are read for lead times (the newest deployed first); each list holds at most 250 commits.
/// </summary>
public sealed class InsightsService(SqlHistoryReader history, IGrainFactory grains, ReleaseCommits commits, ILogger<InsightsService> logger)
{
    public const int MaxDeployedRead = 200;

    public const int MaxReposRead = 2000;

    public async Task<InsightsReport> ComputeAsync(string? dest, InsightRange range, CancellationToken cancellationToken)
    {
        var changed = await history.ReleasesChangedAsync(dest, range.Start, range.End, cancellationToken);
        var deployed = changed
            .Select(r => (Release: r, DeployedAt: r.History.LastOrDefault(e => e.Action == "deployed")?.At))
            .Where(r => r.DeployedAt is { } at && range.Contains(at))
            .OrderByDescending(r => r.DeployedAt)
            .Take(MaxDeployedRead)
            .Select(r => r.Release.Id)
            .ToHashSet(StringComparer.Ordinal);

        var shipped = new Dictionary<string, IReadOnlyList<ShippedCommit>>(StringComparer.Ordinal);
        var budget = MaxReposRead;
        foreach (var id in deployed)
        {
            if (budget <= 0 || await grains.GetGrain<IReleaseGrain>(id).Get() is not { } release)
            {
                continue;
            }

            var repos = release.Repos.Where(r => !r.Excluded).Take(budget).ToList();
            budget -= repos.Count;
            var lists = new List<ShippedCommit>[repos.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, repos.Count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
                async (i, ct) =>
                {
                    try
                    {
                        var list = await commits.ListAsync(release, repos[i].Name, ct);
                        lists[i] = [.. list.Commits.Select(c => new ShippedCommit(repos[i].Name, c.Sha, c.At.ToUniversalTime()))];
                    }
                    catch (Exception ex) when (ex is ReleaseRuleException or InvalidOperationException or IOException or HttpRequestException)
                    {
                        logger.LogInformation("Insights: the commits of {Repo} in release {ReleaseId} cannot be read: {Reason}", repos[i].Name, id, ex.Message);
                        lists[i] = [];
                    }
                });
            shipped[id] = [.. lists.SelectMany(l => l)];
        }

        var input = changed.Select(r => new InsightRelease(r.Id, r.DestBranch, r.CreatedAt, r.Status, r.History,
            shipped.GetValueOrDefault(r.Id) ?? []));
        return new DoraCalculator().Compute(input, range, dest);
    }
}
