namespace OrleansReleases.Grains.Domain;

/// <summary>
/// One change to a release, as the history shows it. <see cref="Version"/> is the release
/// version the change produced, so a release's history has exactly one entry per version.
/// <see cref="Actor"/> is the name people read; <see cref="ActorId"/> the actor's stable id
/// (<see cref="Domain.Actor.Id"/>), null for entries written before ids were recorded.
/// <see cref="Changes"/> lists what the change did to each field it touched (empty when the
/// detail says it all, and for entries recorded before changes were kept).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record HistoryEntry(long Version, DateTime At, string Actor, string Action, string Detail, string? ActorId = null)
{
    [Id(6)]
    public IReadOnlyList<FieldChange> Changes { get; init; } = [];

    public bool Equals(HistoryEntry? other) =>
        other is not null && Version == other.Version && At == other.At && Actor == other.Actor && Action == other.Action
        && Detail == other.Detail && ActorId == other.ActorId && (Changes ?? []).SequenceEqual(other.Changes ?? []);

    public override int GetHashCode() => HashCode.Combine(Version, At, Actor, Action, Detail);
}

/// <summary>
/// What one change did to one field: <c>notes</c>, <c>breakingChanges</c>, <c>excluded</c>,
/// <c>dependsOn</c>, or <c>&lt;repo&gt; head</c> (a head commit the approvals no longer cover).
/// Null <see cref="Before"/> or <see cref="After"/>: the value was, or became, absent.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FieldChange(string Field, string? Before, string? After);
