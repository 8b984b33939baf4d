namespace OrleansReleases.Grains.Domain;

/// <summary>
/// One comparison of a release's branches, as the release takes it in: the repos with changes, a
/// warning for each repo that could not be compared, and those repos' names (as the release names
/// them). A repo of the release named in <see cref="Failed"/> stays, stale, with its last data.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ComparedRepos(IReadOnlyList<RepoChange> Changed, IReadOnlyList<string> Warnings, IReadOnlyList<string> Failed);
