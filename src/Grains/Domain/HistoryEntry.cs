namespace OrleansReleases.Grains.Domain;

/// <summary>
/// One change to a release, as the history shows it. <see cref="Version"/> is the release
/// version the change produced, so a release's history has exactly one entry per version.
/// <see cref="Actor"/> is the name people read; <see cref="ActorId"/> the actor's stable id
/// (<see cref="Domain.Actor.Id"/>), null for entries written before ids were recorded.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record HistoryEntry(long Version, DateTime At, string Actor, string Action, string Detail, string? ActorId = null);
