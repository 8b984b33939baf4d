using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Releases;

namespace OrleansReleases.Web.Hubs;

/// <summary>
/// The hub's <c>releaseChanged</c> event: that a release reached a new version, with its small
/// fields and the repos that version changed, never the whole release (633 KB at 3,000 repos, sent
/// to every open browser on each click). A client showing an older version fetches
/// <c>GET /api/releases/{id}</c> once for the whole. <see cref="ChangedRepos"/> lists the changed
/// repos when they are at most <see cref="MaxRepos"/>; otherwise it is null and only the fetch
/// tells (as after a refresh that moved many repos). Size: a few hundred bytes plus about 200 a
/// repo, under 5 KB.
/// </summary>
public sealed record ReleaseChangedMessage(
    string Id,
    long Version,
    ReleaseStatus Status,
    string SourceBranch,
    string DestBranch,
    DateTime LastRefreshedAt,
    int RepoCount,
    ApprovalMark? DevApproval,
    ApprovalMark? QaApproval,
    IReadOnlyList<RepoView>? ChangedRepos,
    IReadOnlyList<string>? RemovedRepos)
{
    public const int MaxRepos = 10;

    public static ReleaseChangedMessage From(ReleaseView release)
    {
        IReadOnlyList<RepoView>? changed = null;
        IReadOnlyList<string>? removed = null;
        if (release.Delta is { } delta && delta.Changed.Count + delta.Removed.Count <= MaxRepos)
        {
            var names = delta.Changed.ToHashSet(StringComparer.Ordinal);
            changed = [.. release.Repos.Where(r => names.Contains(r.Name))];
            removed = delta.Removed;
        }

        return new ReleaseChangedMessage(release.Id, release.Version, release.Status, release.SourceBranch, release.DestBranch,
            release.LastRefreshedAt, release.Repos.Count, ApprovalMark.From(release.DevApproval), ApprovalMark.From(release.QaApproval),
            changed, removed);
    }
}

/// <summary>An approval without the commits it covers (those are one per repo): who and when.</summary>
public sealed record ApprovalMark(string By, DateTime At)
{
    public static ApprovalMark? From(Approval? approval) => approval is null ? null : new ApprovalMark(approval.By, approval.At);
}
