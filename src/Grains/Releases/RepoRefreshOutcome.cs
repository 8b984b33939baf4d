namespace OrleansReleases.Grains.Releases;

/// <summary>The release after <see cref="IReleaseGrain.ApplyRepoComparisons"/>, and whether the comparison was taken in (false: it was outdated).</summary>
[GenerateSerializer, Immutable]
public sealed record RepoRefreshOutcome(ReleaseView Release, bool Applied);
