using Microsoft.Extensions.Logging;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Grains.Insights;

/// <summary>
/// What an auditor keeps of one release (<c>GET /api/releases/{id}/evidence</c>, the <c>content</c> the
/// digest is computed over): the release as it is, every repo with its commits, the approvals with the
/// commits they cover, the CI checks, every deployment report, the freeze overrides and the whole history.
/// </summary>
public sealed record EvidenceContent(
    ReleaseView Release,
    IReadOnlyList<EvidenceRepo> Repos,
    IReadOnlyList<EvidenceApproval> Approvals,
    IReadOnlyList<EvidenceChecks> Checks,
    IReadOnlyList<EvidenceDeploymentReport> DeploymentReports,
    IReadOnlyList<HistoryEntry> FreezeOverrides,
    IReadOnlyList<HistoryEntry> History);

/// <summary>
/// A repo of the release and the commits it ships (newest first, at most 250; <see cref="CommitTotal"/> the exact
/// count), or why they cannot be read (<see cref="CommitsUnreadable"/>, then no commits).
/// </summary>
public sealed record EvidenceRepo(
    string Name,
    string? Source,
    bool Excluded,
    string? BaseSha,
    string HeadSha,
    int? CommitTotal,
    IReadOnlyList<EvidenceCommit> Commits,
    string? CommitsUnreadable);

/// <summary>One commit: its full sha, author, subject and author time.</summary>
public sealed record EvidenceCommit(string Sha, string Author, string Subject, DateTime At);

/// <summary>An approval the release holds: its kind (<c>dev</c>, <c>qa</c>), who gave it, when, and every repo and commit it covers.</summary>
public sealed record EvidenceApproval(string Kind, string By, string? ById, DateTime At, IReadOnlyList<CoveredCommit> Covers);

/// <summary>The CI checks seen on a repo's head commit (changes of them are in the history as <c>checks-updated</c>).</summary>
public sealed record EvidenceChecks(string Repo, string Sha, CheckState State, IReadOnlyList<string> Failing, string? Url);

/// <summary>
/// One deployment report, from the history: the repo, the state it reported and the one before, when, by whom,
/// and the entry's detail (layer, commit, the run's url); <see cref="Version"/> is the history entry's.
/// </summary>
public sealed record EvidenceDeploymentReport(string Repo, string State, string? Before, DateTime At, string By, string? ById, string Detail, long Version);

/// <summary>Gathers the <see cref="EvidenceContent"/> of a release from its grain, the history and the commit lists.</summary>
public sealed class ReleaseEvidence(IReleaseCatalog catalog, ReleaseCommits commits, ILogger<ReleaseEvidence> logger)
{
    public async Task<EvidenceContent> GatherAsync(ReleaseView release, CancellationToken cancellationToken)
    {
        var history = await catalog.HistoryAsync(release.Id, cancellationToken);
        var repos = new EvidenceRepo[release.Repos.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, repos.Length), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var repo = release.Repos[i];
                try
                {
                    var list = await commits.ListAsync(release, repo.Name, ct);
                    repos[i] = new EvidenceRepo(repo.Name, repo.Source, repo.Excluded, repo.BaseSha, repo.HeadSha, list.Total,
                        [.. list.Commits.Select(c => new EvidenceCommit(c.Sha, c.Author, c.Subject, c.At.ToUniversalTime()))], null);
                }
                catch (Exception ex) when (ex is ReleaseRuleException or InvalidOperationException or IOException or HttpRequestException)
                {
                    logger.LogInformation("Evidence of release {ReleaseId}: the commits of {Repo} cannot be read: {Reason}", release.Id, repo.Name, ex.Message);
                    repos[i] = new EvidenceRepo(repo.Name, repo.Source, repo.Excluded, repo.BaseSha, repo.HeadSha, null, [], ex.Message);
                }
            });

        var approvals = new List<EvidenceApproval>();
        foreach (var (kind, approval) in new[] { (ApprovalKind.Dev, release.DevApproval), (ApprovalKind.Qa, release.QaApproval) })
        {
            if (approval is not null)
            {
                approvals.Add(new EvidenceApproval(kind.Slug(), approval.By, approval.ById, approval.At, approval.Covers ?? []));
            }
        }

        var checks = release.Repos.Select(r => r.Checks ?? RepoChecks.None)
            .Zip(release.Repos, (c, r) => new EvidenceChecks(r.Name, r.HeadSha, c.State, c.Failing, c.Url)).ToList();
        var reports = history
            .SelectMany(e => e.Changes.Where(c => c.Field.EndsWith(" deployment", StringComparison.Ordinal))
                .Select(c => new EvidenceDeploymentReport(c.Field[..^" deployment".Length], c.After ?? "", c.Before, e.At, e.Actor, e.ActorId, e.Detail, e.Version)))
            .ToList();
        var overrides = history.Where(e => e.Action == "freeze-overridden").ToList();
        return new EvidenceContent(release, repos, approvals, checks, reports, overrides, history);
    }
}
