using System.Globalization;
using Microsoft.Extensions.Options;
using OrleansReleases.Grains.Domain;

namespace OrleansReleases.Grains.Sources;

/// <summary>
/// The commits of a local git repo, read with <c>git log base..head</c> (and counted with
/// <c>git rev-list --count</c>). Local git has no CI checks and no web pages: checks are
/// <c>none</c>, URLs null. Commits stay readable while git keeps their objects, whatever the
/// branches do.
/// </summary>
public sealed class LocalGitHistory(IOptions<LocalGitOptions> options) : IRepositoryHistory
{
    private const char Field = '\u001f';
    private const char Record = '\u001e';

    public string NamePrefix => "local";

    public async Task<CommitList?> ListCommitsAsync(string repo, string baseRef, string headSha, int max, CancellationToken cancellationToken)
    {
        if (PathOf(repo) is not { } path || !IsRef(baseRef) || !IsSha(headSha))
        {
            return null;
        }

        var range = $"{baseRef}..{headSha}";
        var count = await GitCommand.RunAsync(path, ["rev-list", "--count", range, "--"], cancellationToken);
        if (!count.Succeeded || !int.TryParse(count.Output.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var total))
        {
            return null; // a commit is gone
        }

        var log = await GitCommand.RunAsync(path,
            ["log", $"--max-count={Math.Max(0, max)}", "--format=%H%x1f%P%x1f%an%x1f%aI%x1f%s%x1f%b%x1e", range, "--"], cancellationToken);
        if (!log.Succeeded)
        {
            return null;
        }

        var commits = log.Output.Split(Record, StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.TrimStart('\n').Split(Field))
            .Where(fields => fields.Length >= 6)
            .Select(fields => new CommitEntry(fields[0], fields[4], fields[2],
                DateTimeOffset.Parse(fields[3], CultureInfo.InvariantCulture).UtcDateTime, null,
                fields[1].Split(' ', StringSplitOptions.RemoveEmptyEntries), fields[5].Trim()))
            .ToList();
        return new CommitList(total, commits);
    }

    public async Task<string?> ResolveBranchAsync(string repo, string branch, CancellationToken cancellationToken)
    {
        if (PathOf(repo) is not { } path)
        {
            return null;
        }

        var result = await GitCommand.RunAsync(path, ["rev-parse", "--verify", "--quiet", BranchRef.Of(branch)], cancellationToken);
        return result.Succeeded ? result.Output.Trim() : null;
    }

    public Task<RepoChecks> ReadChecksAsync(string repo, string sha, CancellationToken cancellationToken) => Task.FromResult(RepoChecks.None);

    public string? CompareUrl(string repo, string baseRef, string headSha) => null;

    public string? PullRequestUrl(string repo, int number) => null;

    private string? PathOf(string repo)
    {
        var root = options.Value.Root;
        if (string.IsNullOrWhiteSpace(root) || !Directory.Exists(root))
        {
            return null;
        }

        return LocalGitSource.FindRepositories(root).Where(r => r.Name == repo).Select(r => r.Path).FirstOrDefault();
    }

    /// <summary>Only full ref names and hex commits reach git, so nothing can read as an option.</summary>
    private static bool IsRef(string reference) => IsSha(reference) || (BranchRef.IsBranch(reference, out var branch) && BranchName.Problem(branch) is null);

    private static bool IsSha(string value) => value.Length is >= 7 and <= 64 && value.All(Uri.IsHexDigit);
}
