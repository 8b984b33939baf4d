namespace OrleansReleases.Grains.Releases;

/// <summary>
/// What a deploy came to: the release as stored, and why it was not deployed (null when it was).
/// A refused deploy may still have changed the release: it takes in what the source showed.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DeployOutcome(ReleaseView Release, string? RefusedBecause);
