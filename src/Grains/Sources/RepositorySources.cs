using Microsoft.Extensions.Logging;
using OrleansReleases.Grains.Domain;

namespace OrleansReleases.Grains.Sources;

/// <summary>
/// Every configured repository source, compared as one. Logs progress on long work
/// ("compared 40/300 repos") and passes it on to whoever shows it.
/// </summary>
public sealed class RepositorySources(IEnumerable<IRepositorySource> sources, ILogger<RepositorySources> logger)
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

        var changed = new List<RepoChange>();
        var warnings = new List<string>();
        foreach (var source in _sources)
        {
            var logged = new ProgressLog(logger, source.Name, sourceBranch, destBranch, progress);
            var result = await source.CompareAsync(sourceBranch, destBranch, logged, cancellationToken);
            changed.AddRange(result.Changed);
            warnings.AddRange(result.Warnings);
        }

        return new SourceComparison(changed, warnings);
    }

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
