using OrleansReleases.Grains.Domain;

namespace OrleansReleases.Grains.Releases;

/// <summary>A release as clients see it: the <c>Release</c> shape of API.md.</summary>
[GenerateSerializer, Immutable]
public sealed record ReleaseView(
    string Id,
    string SourceBranch,
    string DestBranch,
    ReleaseStatus Status,
    string Notes,
    string BreakingChanges,
    string CreatedBy,
    DateTime CreatedAt,
    DateTime LastRefreshedAt,
    long Version,
    Approval? DevApproval,
    Approval? QaApproval,
    IReadOnlyList<RepoView> Repos,
    DeployOrder DeployOrder,
    IReadOnlyList<string> Warnings,
    string? CreatedById = null,
    string? ApprovalBlockedByChecks = null)
{
    public static ReleaseView From(Release release)
    {
        var s = release.State;
        return new ReleaseView(
            s.Id, s.SourceBranch, s.DestBranch, s.Status, s.Notes, s.BreakingChanges, s.CreatedBy, s.CreatedAt,
            s.LastRefreshedAt, s.Version, s.Approvals.Get(ApprovalKind.Dev), s.Approvals.Get(ApprovalKind.Qa),
            s.Repos.Select(RepoView.From).ToList(), release.DeployOrder, [.. s.Warnings],
            CreatedById: s.CreatedById, ApprovalBlockedByChecks: release.WhyChecksBlockApproval);
    }

    /// <summary>
    /// Which repos this version changed against the version stored before it (set on the view a
    /// release grain hands to the events grain only; null when unknown): what the live update to
    /// browsers carries instead of the whole release. Not part of the API's JSON.
    /// </summary>
    [Id(100)]
    [System.Text.Json.Serialization.JsonIgnore]
    public RepoDelta? Delta { get; init; }

    /// <summary>The row of the release list; counts cover included repos only.</summary>
    public ReleaseSummary ToSummary()
    {
        var included = Repos.Where(r => !r.Excluded).ToList();
        return new ReleaseSummary(Id, SourceBranch, DestBranch, Status, included.Count, included.Sum(r => r.CommitCount),
            CreatedBy, CreatedAt, DevApproval is not null, QaApproval is not null);
    }
}

/// <summary>
/// The <c>Repo</c> shape of API.md; <see cref="Source"/> ("github", "local", null when unknown) is this service's addition.
/// <see cref="Stale"/>: the last comparison could not reach the repo, which keeps the data of the one before.
/// <see cref="Checks"/>: the CI checks of the head (never null in answers); <see cref="NewSinceApproval"/>:
/// commits between the commit the last (dismissed) approvals covered and the head.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RepoView(
    string Name,
    int CommitCount,
    IReadOnlyList<string> Contributors,
    int? PrNumber,
    string? PrUrl,
    bool Excluded,
    IReadOnlyList<string> DependsOn,
    string HeadSha,
    string? Source = null,
    bool Stale = false,
    RepoChecks? Checks = null,
    int NewSinceApproval = 0,
    string? BaseSha = null,
    RepoDeployment? Deployment = null)
{
    public static RepoView From(ReleaseRepo r) =>
        new(r.Name, r.CommitCount, [.. r.Contributors], r.PrNumber, r.PrUrl, r.Excluded, [.. r.DependsOn], r.HeadSha, r.Source, r.Stale,
            r.Checks ?? RepoChecks.None, r.NewSinceApproval, r.BaseSha, r.Deployment);
}
