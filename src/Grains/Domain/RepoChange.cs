namespace OrleansReleases.Grains.Domain;

/// <summary>
/// What a repository source found for one repo: the commits on the source branch that the
/// destination branch lacks. A repo with no such commits is not part of a release.
/// <see cref="Source"/> names the source it came from (<c>"github"</c>, <c>"local"</c>: the
/// source's <see cref="Sources.IRepositorySource.NamePrefix"/>), so later work (GitHub commit
/// statuses) knows where the repo lives whatever its name in the release.
/// <see cref="BaseSha"/> is the destination's commit the comparison was made against (its merge
/// base with the source, or the destination's head), so the commits can be listed again later
/// whatever the branches do; <see cref="Checks"/> the CI checks of the head (null: not read);
/// <see cref="NewSinceApproval"/> the commits from <see cref="DeltaBase"/> (the commit the last
/// approvals covered) to the head, when they were counted.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RepoChange(
    string Name,
    int CommitCount,
    IReadOnlyList<string> Contributors,
    string HeadSha,
    int? PrNumber = null,
    string? PrUrl = null,
    string? Source = null,
    string? BaseSha = null,
    RepoChecks? Checks = null,
    string? DeltaBase = null,
    int? NewSinceApproval = null);
