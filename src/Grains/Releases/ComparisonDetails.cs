using Microsoft.Extensions.Logging;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Sources;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Grains.Releases;

/// <summary>
/// What a comparison adds to each changed repo before the release takes it in, from the repo's
/// <see cref="IRepositoryHistory"/>: the base commit when the source did not say it (the
/// destination's commit), the CI checks of the head when the source did not read them (GitHub's
/// GraphQL batches do), and the commits new since the last approval.
/// Also the dependencies a new release carries over. Every read is best effort: a failure leaves
/// the detail out (the release keeps what it knew) and is logged.
/// </summary>
public sealed class ComparisonDetails(RepoHistories histories, IReleaseCatalog catalog, IGrainFactory grains, ILogger<ComparisonDetails> logger)
{
    /// <summary>Repos read at once.</summary>
    private const int Parallelism = 16;

    public async Task<SourceComparison> AddAsync(SourceComparison comparison, string destBranch,
        IReadOnlyDictionary<string, string>? deltaBases, CancellationToken cancellationToken)
    {
        var changed = comparison.Changed.ToArray();
        await Parallel.ForEachAsync(Enumerable.Range(0, changed.Length),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, ct) => changed[i] = await AddAsync(changed[i], destBranch, deltaBases, ct));
        return comparison with { Changed = changed };
    }

    private async Task<RepoChange> AddAsync(RepoChange change, string destBranch, IReadOnlyDictionary<string, string>? deltaBases, CancellationToken ct)
    {
        if (histories.For(change.Name, change.Source) is not { } found)
        {
            return change;
        }

        var (history, name) = found;
        try
        {
            if (change.BaseSha is null)
            {
                change = change with { BaseSha = await history.ResolveBranchAsync(name, destBranch, ct) };
            }

            if (change.Checks is null)
            {
                change = change with { Checks = await history.ReadChecksAsync(name, change.HeadSha, ct) };
            }
            if (deltaBases?.GetValueOrDefault(change.Name) is { } approved
                && !string.Equals(approved, change.HeadSha, StringComparison.OrdinalIgnoreCase))
            {
                var delta = await history.ListCommitsAsync(name, approved, change.HeadSha, 0, ct);
                change = change with { DeltaBase = approved, NewSinceApproval = delta?.Total };
            }
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("Could not read the checks or commits of {Repo} ({Reason}); keeping what the release knew", change.Name, ex.Message);
        }

        return change;
    }

    /// <summary>
    /// The dependencies of the most recent earlier release of <paramref name="sourceBranch"/> →
    /// <paramref name="destBranch"/>, if any has some.
    /// </summary>
    public async Task<CarriedDependencies?> CarriedAsync(string sourceBranch, string destBranch, CancellationToken cancellationToken)
    {
        try
        {
            var page = await catalog.ListAsync(new ReleaseQuery(SourceBranch: sourceBranch, DestBranch: destBranch, Limit: 1), cancellationToken);
            if (page.Items.FirstOrDefault() is not { } latest || await grains.GetGrain<IReleaseGrain>(latest.Id).Get() is not { } earlier)
            {
                return null;
            }

            var dependsOn = earlier.Repos.Where(r => r.DependsOn.Count > 0)
                .ToDictionary(r => r.Name, r => r.DependsOn, StringComparer.Ordinal);
            return dependsOn.Count == 0 ? null : new CarriedDependencies(earlier.Id, dependsOn);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Could not read the earlier release of {Source} → {Dest}; the new one starts without dependencies", sourceBranch, destBranch);
            return null;
        }
    }
}
