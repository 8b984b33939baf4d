using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Sources;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Grains.Releases;

/// <summary>The commits of one repo of a release: <c>GET /api/releases/{id}/repos/{name}/commits</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record RepoCommits(int Total, IReadOnlyList<CommitView> Commits, string? CompareUrl);

/// <summary>One commit as the API shows it; <see cref="Url"/> is its page on GitHub, null for local git.</summary>
[GenerateSerializer, Immutable]
public sealed record CommitView(string Sha, string Subject, string Author, DateTime At, string? Url);

/// <summary>
/// The commits each repo of a release ships, read on demand between the repo's recorded base and
/// head commits (not the branches, which move on), kept in <see cref="SqlCommitCache"/> once read;
/// read ahead when an approval is given (what it covered stays readable); and the release notes
/// drafted from them.
/// </summary>
public sealed partial class ReleaseCommits(RepoHistories histories, SqlCommitCache cache, ILogger<ReleaseCommits> logger)
{
    /// <summary>The most commits listed per repo.</summary>
    public const int MaxListed = 250;

    /// <summary>Repos read ahead after an approval, at most (the rest are read when asked for).</summary>
    public const int MaxWarmed = 500;

    private readonly ConcurrentDictionary<Task, bool> _warming = new();

    public async Task<RepoCommits> ListAsync(ReleaseView release, string repoName, CancellationToken cancellationToken)
    {
        var repo = release.Repos.FirstOrDefault(r => r.Name == repoName)
            ?? throw new ReleaseRuleException(RuleViolation.NotFound, $"Release {release.Id} has no repo '{repoName}'.");
        var (list, compareUrl) = await ReadAsync(release, repo, cancellationToken);
        return new RepoCommits(list.Total,
            [.. list.Commits.Select(c => new CommitView(c.Sha, c.Subject, c.Author, c.At, c.Url))], compareUrl);
    }

    /// <summary>Reads (and keeps) the commit lists of every included repo in the background, at most <see cref="MaxWarmed"/>.</summary>
    public void WarmInBackground(ReleaseView release)
    {
        var task = Task.Run(async () =>
        {
            var repos = release.Repos.Where(r => !r.Excluded && r.BaseSha is not null).Take(MaxWarmed);
            await Parallel.ForEachAsync(repos, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (repo, ct) =>
            {
                try
                {
                    await ReadAsync(release, repo, ct);
                }
                catch (Exception ex)
                {
                    logger.LogInformation("Could not keep the commits of {Repo} in release {ReleaseId}: {Reason}", repo.Name, release.Id, ex.Message);
                }
            });
        });
        _warming[task] = true;
        task.ContinueWith(done => _warming.TryRemove(done, out _), TaskScheduler.Default);
    }

    /// <summary>Completes when every read ahead started so far is done (for tests).</summary>
    public Task WhenIdleAsync() => Task.WhenAll(_warming.Keys);

    /// <summary>
    /// Markdown release notes from the commits: a section per included repo in deploy order; a line
    /// per pull request (its title, number and link where the source knows them) and per commit
    /// outside pull requests, oldest first; merge commits folded away.
    /// </summary>
    public async Task<string> DraftNotesAsync(ReleaseView release, CancellationToken cancellationToken)
    {
        var order = release.DeployOrder.Layers.SelectMany(layer => layer).ToList();
        var included = release.Repos.Where(r => !r.Excluded).ToList();
        var ordered = included.OrderBy(r => order.IndexOf(r.Name) is >= 0 and var i ? i : int.MaxValue)
            .ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        var sections = new string[ordered.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, ordered.Count),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (i, ct) => sections[i] = await SectionAsync(release, ordered[i], ct));

        var text = new StringBuilder($"# Release `{release.SourceBranch}` → `{release.DestBranch}`\n");
        foreach (var section in sections)
        {
            text.Append('\n').Append(section);
        }

        return text.ToString();
    }

    private async Task<string> SectionAsync(ReleaseView release, RepoView repo, CancellationToken ct)
    {
        var section = new StringBuilder($"## {repo.Name}\n\n");
        CommitList list;
        try
        {
            (list, _) = await ReadAsync(release, repo, ct);
        }
        catch (ReleaseRuleException ex)
        {
            return section.Append($"_{ex.Message}_\n").ToString();
        }

        var lines = NoteLines(list.Commits, histories.For(repo.Name, repo.Source) is { } found ? n => found.History.PullRequestUrl(found.Name, n) : _ => null);
        foreach (var line in lines)
        {
            section.Append("- ").Append(line).Append('\n');
        }

        if (list.Total > list.Commits.Count)
        {
            section.Append($"- … and {list.Total - list.Commits.Count} earlier commits not listed\n");
        }

        if (lines.Count == 0 && list.Total <= list.Commits.Count)
        {
            section.Append("- (merge commits only)\n");
        }

        return section.ToString();
    }

    /// <summary>The note lines of <paramref name="newestFirst"/>, oldest first (see <see cref="DraftNotesAsync"/>).</summary>
    public static List<string> NoteLines(IReadOnlyList<CommitEntry> newestFirst, Func<int, string?> pullUrl)
    {
        var bySha = newestFirst.ToDictionary(c => c.Sha, StringComparer.OrdinalIgnoreCase);

        // The main line: from the head along first parents. Commits a pull request's merge brought in are its line.
        var chain = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var at = newestFirst.FirstOrDefault(); at is not null && chain.Add(at.Sha);)
        {
            at = at.Parents.Count > 0 ? bySha.GetValueOrDefault(at.Parents[0]) : null;
        }

        var hidden = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var merge in newestFirst.Where(c => chain.Contains(c.Sha) && PullOfMerge(c) is not null))
        {
            var stack = new Stack<string>(merge.Parents.Skip(1));
            while (stack.TryPop(out var sha))
            {
                if (bySha.TryGetValue(sha, out var inside) && !chain.Contains(sha) && hidden.Add(sha))
                {
                    foreach (var parent in inside.Parents)
                    {
                        stack.Push(parent);
                    }
                }
            }
        }

        var lines = new List<string>();
        foreach (var commit in newestFirst.Reverse().Where(c => !hidden.Contains(c.Sha)))
        {
            if (PullOfMerge(commit) is { } merged)
            {
                lines.Add(PullLine(merged.Title, merged.Number, pullUrl));
            }
            else if (commit.IsMerge)
            {
                continue; // a merge without a pull request: folded away
            }
            else if (SquashedPull().Match(commit.Subject) is { Success: true } squash)
            {
                lines.Add(PullLine(squash.Groups["title"].Value, int.Parse(squash.Groups["number"].Value, System.Globalization.CultureInfo.InvariantCulture), pullUrl));
            }
            else
            {
                lines.Add(Escape(commit.Subject));
            }
        }

        return lines;
    }

    private static (int Number, string Title)? PullOfMerge(CommitEntry commit)
    {
        var match = MergedPull().Match(commit.Subject);
        if (!match.Success)
        {
            return null;
        }

        var title = commit.Body.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? commit.Subject;
        return (int.Parse(match.Groups["number"].Value, System.Globalization.CultureInfo.InvariantCulture), title);
    }

    private static string PullLine(string title, int number, Func<int, string?> pullUrl) =>
        pullUrl(number) is { } url ? $"{Escape(title)} ([#{number}]({url}))" : $"{Escape(title)} (#{number})";

    private static string Escape(string text) => text.Replace("\r", "").Replace("\n", " ").Trim();

    [GeneratedRegex(@"^Merge pull request #(?<number>\d+)\b")]
    private static partial Regex MergedPull();

    [GeneratedRegex(@"^(?<title>.+?)\s+\(#(?<number>\d+)\)$")]
    private static partial Regex SquashedPull();

    private async Task<(CommitList List, string? CompareUrl)> ReadAsync(ReleaseView release, RepoView repo, CancellationToken ct)
    {
        if (histories.For(repo.Name, repo.Source) is not { } found)
        {
            throw new ReleaseRuleException(RuleViolation.Conflict,
                $"The source of {repo.Name} ({repo.Source ?? "unknown"}) is not configured: its commits cannot be read.");
        }

        var (history, name) = found;
        var baseRef = repo.BaseSha ?? BranchRef.Of(release.DestBranch);
        var compareUrl = history.CompareUrl(name, baseRef, repo.HeadSha);
        if (repo.BaseSha is { } baseSha && await cache.GetAsync(history.NamePrefix, name, baseSha, repo.HeadSha, ct) is { } cached)
        {
            return (cached, compareUrl);
        }

        var list = await history.ListCommitsAsync(name, baseRef, repo.HeadSha, MaxListed, ct)
            ?? throw new ReleaseRuleException(RuleViolation.Conflict,
                $"The commits of {repo.Name} up to {ApprovalRules.Short(repo.HeadSha)} can no longer be read from the source, and were not read before.");
        if (repo.BaseSha is { } known)
        {
            await cache.PutAsync(history.NamePrefix, name, known, repo.HeadSha, list, ct);
        }

        return (list, compareUrl);
    }
}
