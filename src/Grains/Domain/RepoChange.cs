namespace OrleansReleases.Grains.Domain;

/// <summary>
/// What a repository source found for one repo: the commits on the source branch that the
/// destination branch lacks. A repo with no such commits is not part of a release.
/// <see cref="Source"/> names the source it came from (<c>"github"</c>, <c>"local"</c>: the
/// source's <see cref="Sources.IRepositorySource.NamePrefix"/>), so later work (GitHub commit
/// statuses) knows where the repo lives whatever its name in the release.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RepoChange(
    string Name,
    int CommitCount,
    IReadOnlyList<string> Contributors,
    string HeadSha,
    int? PrNumber = null,
    string? PrUrl = null,
    string? Source = null);
