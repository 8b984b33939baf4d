using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansReleases.Grains.Domain;

namespace OrleansReleases.Grains.Sources;

/// <summary>
/// Local git: every sub-folder of <see cref="LocalGitOptions.Root"/> that is a git repository
/// (bare or not) is a repo, named after its folder (a bare repo's ".git" suffix dropped).
/// Commits are those on the source branch not on the destination branch; contributors are their
/// distinct author names; the head is the source branch's commit.
/// </summary>
public sealed class LocalGitSource(IOptions<LocalGitOptions> options, ILogger<LocalGitSource> logger) : IRepositorySource
{
    public string Name => "local git";

    public string NamePrefix => "local";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(options.Value.Root);

    public async Task<SourceComparison> CompareAsync(string sourceBranch, string destBranch,
        IProgress<CompareProgress>? progress, CancellationToken cancellationToken)
    {
        var root = options.Value.Root;
        if (string.IsNullOrWhiteSpace(root) || !Directory.Exists(root))
        {
            logger.LogWarning("The local git root {Root} does not exist", root);
            return new SourceComparison([], ["local git: the configured folder (Releases:Sources:LocalGit:Root) does not exist"]);
        }

        var repos = FindRepositories(root);
        var changed = new List<RepoChange>();
        var warnings = new List<string>();
        var failed = new List<string>();
        var compared = 0;
        await Parallel.ForEachAsync(repos,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.Parallelism), CancellationToken = cancellationToken },
            async (repo, ct) =>
            {
                try
                {
                    if (await CompareRepoAsync(repo.Path, repo.Name, sourceBranch, destBranch, options.Value.CommandTimeout, ct) is { } change)
                    {
                        lock (changed)
                        {
                            changed.Add(change);
                        }
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The details (path, git's output) are for the log; people see the repo's name and a short reason.
                    logger.LogWarning(ex, "Could not compare {Repo} at {Path}: {Details}", repo.Name, repo.Path, (ex as GitFailedException)?.Details);
                    lock (warnings)
                    {
                        warnings.Add(GitFailedException.Warning(repo.Name, ex));
                        failed.Add(repo.Name);
                    }
                }

                progress?.Report(new CompareProgress(Interlocked.Increment(ref compared), repos.Count));
            });

        return new SourceComparison(
            [.. changed.OrderBy(c => c.Name, StringComparer.Ordinal)],
            [.. warnings.Order(StringComparer.Ordinal)],
            [.. repos.Select(r => r.Name)],
            [.. failed.Order(StringComparer.Ordinal)]);
    }

    /// <summary>One repo (after a push to it): its folder's comparison, or null when the root has no such repo.</summary>
    public async Task<ComparedRepo?> CompareRepoAsync(string repo, string sourceBranch, string destBranch, CancellationToken cancellationToken)
    {
        var root = options.Value.Root;
        if (string.IsNullOrWhiteSpace(root) || !Directory.Exists(root)
            || FindRepositories(root).FirstOrDefault(r => r.Name == repo) is not { Path: not null } found)
        {
            return null;
        }

        try
        {
            return new ComparedRepo(repo, NamePrefix,
                await CompareRepoAsync(found.Path, repo, sourceBranch, destBranch, options.Value.CommandTimeout, cancellationToken), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not compare {Repo}", repo);
            return new ComparedRepo(repo, NamePrefix, null, GitFailedException.Warning(repo, ex)); // no server paths or raw git output
        }
    }

    /// <summary>
    /// The repos under <paramref name="root"/>, found by their layout alone (no process per folder).
    /// A bare repo's ".git" suffix is dropped from its name unless another folder has that name.
    /// </summary>
    public static IReadOnlyList<(string Name, string Path)> FindRepositories(string root)
    {
        var folders = Directory.EnumerateDirectories(root).Where(IsRepository).ToList();
        var folderNames = folders.Select(System.IO.Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        return folders
            .Select(path =>
            {
                var name = System.IO.Path.GetFileName(path);
                var stripped = name.EndsWith(".git", StringComparison.Ordinal) && name.Length > 4 ? name[..^4] : name;
                return (Name: folderNames.Contains(stripped) ? name : stripped, Path: path);
            })
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
    }

    private static bool IsRepository(string path) =>
        Directory.Exists(System.IO.Path.Combine(path, ".git")) || File.Exists(System.IO.Path.Combine(path, ".git"))
        || (File.Exists(System.IO.Path.Combine(path, "HEAD")) && Directory.Exists(System.IO.Path.Combine(path, "objects"))
            && Directory.Exists(System.IO.Path.Combine(path, "refs")));

    private static async Task<RepoChange?> CompareRepoAsync(string path, string name, string sourceBranch, string destBranch, TimeSpan timeout, CancellationToken ct)
    {
        var sourceRef = $"refs/heads/{sourceBranch}";
        var destRef = $"refs/heads/{destBranch}";
        var head = await ResolveAsync(path, sourceRef, timeout, ct);
        var destHead = head is null ? null : await ResolveAsync(path, destRef, timeout, ct);
        if (head is null || destHead is null)
        {
            return null; // a repo lacking either branch is not part of the release
        }

        // One line per commit: '>' then the author name, so a commit with an empty name still counts.
        var log = await GitCommand.RunAsync(path,
            ["log", "--no-show-signature", "--no-ext-diff", "--no-textconv", "--format=>%an", $"{destRef}..{sourceRef}", "--"], ct, timeout: timeout);
        if (!log.Succeeded)
        {
            throw new GitFailedException($"git log exited with code {log.ExitCode}", log.Error.Trim());
        }

        var authors = log.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line[1..]).ToList();
        if (authors.Count == 0)
        {
            return null;
        }

        var contributors = authors.Where(a => a.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new RepoChange(name, authors.Count, contributors, head, BaseSha: destHead);
    }

    /// <summary>The commit a branch points at, or null when the repo has no such branch.</summary>
    private static async Task<string?> ResolveAsync(string path, string fullRef, TimeSpan timeout, CancellationToken ct)
    {
        // Without ^{commit}, rev-parse only reads the ref: whether its commit really exists is for
        // git log to find out, so a damaged repo ends up in the warnings, not silently left out.
        var result = await GitCommand.RunAsync(path, ["rev-parse", "--verify", "--quiet", fullRef], ct, timeout: timeout);
        return result.Succeeded ? result.Output.Trim() : null;
    }
}
