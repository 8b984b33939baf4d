using OrleansReleases.Grains.Domain;

namespace OrleansReleases.Grains.Sources;

/// <summary>
/// What a repository source can tell about one repo beyond comparing branches: the commits
/// between two commits, a branch's commit, and the CI checks of a commit. One per source, found by
/// its <see cref="NamePrefix"/> (the same as the source's, "local", "github").
/// </summary>
public interface IRepositoryHistory
{
    string NamePrefix { get; }

    /// <summary>
    /// The commits reachable from <paramref name="headSha"/> and not from <paramref name="baseRef"/>
    /// (a commit, or a branch given as <see cref="BranchRef"/>), newest first, at most
    /// <paramref name="max"/>, with their exact number. Null when the source cannot tell (a commit
    /// or the repo is gone).
    /// </summary>
    Task<CommitList?> ListCommitsAsync(string repo, string baseRef, string headSha, int max, CancellationToken cancellationToken);

    /// <summary>The commit <paramref name="branch"/> points at; null when the repo has no such branch.</summary>
    Task<string?> ResolveBranchAsync(string repo, string branch, CancellationToken cancellationToken);

    /// <summary>The CI checks of <paramref name="sha"/>; <see cref="RepoChecks.None"/> where the source has none.</summary>
    Task<RepoChecks> ReadChecksAsync(string repo, string sha, CancellationToken cancellationToken);

    /// <summary>Where people see the comparison (GitHub's compare view); null when the source has no such page.</summary>
    string? CompareUrl(string repo, string baseRef, string headSha);

    /// <summary>The page of pull request <paramref name="number"/>; null when the source has no pull requests.</summary>
    string? PullRequestUrl(string repo, int number);
}

/// <summary>A base given as a branch name, for releases that did not record the base commit.</summary>
public static class BranchRef
{
    private const string Prefix = "refs/heads/";

    public static string Of(string branch) => Prefix + branch;

    public static bool IsBranch(string reference, out string branch)
    {
        branch = reference.StartsWith(Prefix, StringComparison.Ordinal) ? reference[Prefix.Length..] : "";
        return branch.Length > 0;
    }
}

/// <summary>Some of the commits between two commits, newest first, and how many there are in all.</summary>
public sealed record CommitList(int Total, IReadOnlyList<CommitEntry> Commits);

/// <summary>
/// One commit as a release shows it. <see cref="Parents"/> tell merges (folded away in notes);
/// <see cref="Body"/> is the message after its subject (where GitHub writes a merged pull
/// request's title).
/// </summary>
public sealed record CommitEntry(string Sha, string Subject, string Author, DateTime At, string? Url,
    IReadOnlyList<string> Parents, string Body = "")
{
    public bool IsMerge => Parents.Count > 1 || Subject.StartsWith("Merge pull request #", StringComparison.Ordinal);
}
