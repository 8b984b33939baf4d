using OrleansReleases.Grains.Domain;

namespace OrleansReleases.Grains.Releases;

/// <summary>A row of the release list: the <c>ReleaseSummary</c> shape of API.md.</summary>
[GenerateSerializer, Immutable]
public sealed record ReleaseSummary(
    string Id,
    string SourceBranch,
    string DestBranch,
    ReleaseStatus Status,
    int RepoCount,
    int CommitCount,
    string CreatedBy,
    DateTime CreatedAt,
    bool DevApproved,
    bool QaApproved);
