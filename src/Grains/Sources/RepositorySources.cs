using Microsoft.Extensions.Logging;
using OrleansReleases.Grains.Domain;

namespace OrleansReleases.Grains.Sources;

/// <summary>
/// Every configured repository source, compared as one. Logs progress on long work
/// ("compared 40/300 repos") and passes it on to whoever shows it. A repo name that two sources
/// share is prefixed with each source's <see cref="IRepositorySource.NamePrefix"/> ("github/auth-service").
/// </summary>
public sealed class RepositorySources(IEnumerable<IRepositorySource> sources, ILogger<RepositorySources> logger, Metrics.ReleasesMetrics? metrics = null)
{
    private readonly IReadOnlyList<IRepositorySource> _sources = [.. sources];

    /// <summary>The settings a user can set to get a source, for the error when there is none.</summary>
    public const string HowToConfigure =
        "No repository source is configured. Set Releases:Sources:LocalGit:Root to a folder of git repositories " +
        "(or Releases:GitHub:Organization), or start the service with --demo.";

    public bool Any => _sources.Count > 0;

    public async Task<SourceComparison> CompareAsync(string sourceBranch, string destBranch,
        IProgress<CompareProgress>? progress, CancellationToken cancellationToken)
    {
        if (!Any)
        {
            throw new ReleaseRuleException(RuleViolation.Conflict, HowToConfigure);
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        // Sources are compared side by side: a GitHub organisation need not wait for local git.
        var results = await Task.WhenAll(_sources.Select(async source =>
        {
            var logged = new ProgressLog(logger, source.Name, sourceBranch, destBranch, progress);
            return (Source: source, Result: await source.CompareAsync(sourceBranch, destBranch, logged, cancellationToken));
        }));

        var shared = SharedNames(results);
        var changed = results
            .SelectMany(r => r.Result.Changed.Select(change => change with
            {
                Name = shared.Contains(change.Name) ? $"{r.Source.NamePrefix}/{change.Name}" : change.Name,
                Source = change.Source ?? r.Source.NamePrefix, // every repo says which source it came from
            }))
            .OrderBy(change => change.Name, StringComparer.Ordinal)
            .ToList();
        var warnings = results.SelectMany(r => r.Result.Warnings).ToList();
        var failed = results
            .SelectMany(r => (r.Result.Failed ?? []).Select(name => shared.Contains(name) ? $"{r.Source.NamePrefix}/{name}" : name))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        metrics?.ComparisonDone(System.Diagnostics.Stopwatch.GetElapsedTime(started), changed.Count);
        return new SourceComparison(changed, warnings, [.. results.SelectMany(r => r.Result.Examined ?? [])], failed);
    }

    /// <summary>
    /// Compares one repo of the source whose prefix is <paramref name="source"/> ("github"): what a
    /// push to it changed. Null when that source is not configured or has no such repo.
    /// </summary>
    public async Task<ComparedRepo?> CompareRepoAsync(string source, string repo, string sourceBranch, string destBranch,
        CancellationToken cancellationToken)
    {
        foreach (var candidate in _sources.Where(s => s.NamePrefix == source))
        {
            if (await candidate.CompareRepoAsync(repo, sourceBranch, destBranch, cancellationToken) is { } compared)
            {
                return compared;
            }
        }

        return null;
    }

    /// <summary>
    /// Repo names that more than one source has (changed or not). Such a repo is named with its
    /// source's prefix, from every source, so which repo a name means never depends on which one
    /// happened to have changes.
    /// </summary>
    private static HashSet<string> SharedNames(IEnumerable<(IRepositorySource Source, SourceComparison Result)> results) =>
        results
            .SelectMany(r => (r.Result.Examined ?? r.Result.Changed.Select(c => c.Name)).Distinct(StringComparer.Ordinal))
            .GroupBy(name => name, StringComparer.Ordinal)
            .Where(group => group.Count() > 1)
            .Select(group => group.Key)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>On long work (20 repos or more) logs about every tenth of it; always logs the end; forwards every step.</summary>
    private sealed class ProgressLog(ILogger logger, string source, string from, string to, IProgress<CompareProgress>? next)
        : IProgress<CompareProgress>
    {
        public void Report(CompareProgress value)
        {
            var step = Math.Max(1, value.Total / 10);
            if (value.Compared == value.Total || (value.Total >= 20 && value.Compared % step == 0))
            {
                logger.LogInformation("{Source}: compared {Compared}/{Total} repos ({From} → {To})",
                    source, value.Compared, value.Total, from, to);
            }

            next?.Report(value);
        }
    }
}
