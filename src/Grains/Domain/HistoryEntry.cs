namespace OrleansReleases.Grains.Domain;

/// <summary>
/// One change to a release, as the history shows it. <see cref="Version"/> is the release
/// version the change produced, so a release's history has exactly one entry per version.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record HistoryEntry(long Version, DateTime At, string Actor, string Action, string Detail);
