using OrleansReleases.Grains.Domain;

namespace OrleansReleases.Grains.Sources;

/// <summary>
/// Somewhere repositories live (local git mirrors, a GitHub organisation). A source compares two
/// branches in every repo it has.
/// </summary>
public interface IRepositorySource
{
    /// <summary>A short name for logs and warnings ("local git", "github").</summary>
    string Name { get; }

    /// <summary>
    /// Put before a repo's name ("local/auth-service", "github/auth-service") when another source
    /// has a repo of the same name, so names in a release stay unique.
    /// </summary>
    string NamePrefix { get; }

    /// <summary>
    /// Compares <paramref name="sourceBranch"/> with <paramref name="destBranch"/> in every repo:
    /// the repos whose source branch has commits the destination lacks, and a warning for each repo
    /// that could not be compared. Repos lacking either branch are left out silently.
    /// Branch names have passed <see cref="BranchName"/> already.
    /// </summary>
    Task<SourceComparison> CompareAsync(string sourceBranch, string destBranch, IProgress<CompareProgress>? progress, CancellationToken cancellationToken);

    /// <summary>
    /// Compares the branches in one repo only (after a push to it): null when this source has no
    /// such repo (or its name patterns leave it out). A source without a cheaper way compares
    /// every repo and picks this one.
    /// </summary>
    async Task<ComparedRepo?> CompareRepoAsync(string repo, string sourceBranch, string destBranch, CancellationToken cancellationToken)
    {
        var all = await CompareAsync(sourceBranch, destBranch, null, cancellationToken);
        if (all.Examined is { } examined && !examined.Contains(repo, StringComparer.Ordinal))
        {
            return null;
        }

        var warning = all.Warnings.FirstOrDefault(w => w.StartsWith(repo + ":", StringComparison.Ordinal));
        return new ComparedRepo(repo, NamePrefix, all.Changed.FirstOrDefault(c => c.Name == repo), warning);
    }
}

/// <summary>
/// What a comparison found: the changed repos, and why some repos could not be compared.
/// <paramref name="Examined"/> names every repo the source looked at, changed or not, so a name
/// two sources share is told apart the same way whichever of them has changes.
/// <paramref name="Failed"/> names the repos that could not be compared (each has a warning), so a
/// release keeps them, stale, rather than losing them and the team's settings.
/// </summary>
public sealed record SourceComparison(IReadOnlyList<RepoChange> Changed, IReadOnlyList<string> Warnings,
    IReadOnlyList<string>? Examined = null, IReadOnlyList<string>? Failed = null);

/// <summary>How far a comparison has got.</summary>
public readonly record struct CompareProgress(int Compared, int Total);
