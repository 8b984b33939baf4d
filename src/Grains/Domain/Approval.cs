namespace OrleansReleases.Grains.Domain;

/// <summary>
/// One sign-off: who gave it, when, and the commits it covers (every included repo and its head
/// commit at that moment). An approval stored before covers were recorded reads with none.
/// <see cref="ById"/> is the approver's <see cref="Actor.Id"/>; null for approvals stored before
/// ids were recorded (those compare by name).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Approval(string By, DateTime At, IReadOnlyList<CoveredCommit> Covers, string? ById = null)
{
    /// <summary>Covers as stored: never null (a stored approval without covers reads as covering nothing).</summary>
    public Approval Normalized() => Covers is null ? this with { Covers = [] } : this;

    /// <summary>Two approvals are the same when by, at and every covered commit are.</summary>
    public bool Equals(Approval? other) =>
        other is not null && By == other.By && At == other.At && ById == other.ById && (Covers ?? []).SequenceEqual(other.Covers ?? []);

    public override int GetHashCode() => HashCode.Combine(By, At, (Covers ?? []).Count);
}

/// <summary>A repo and the head commit an approval saw in it.</summary>
[GenerateSerializer, Immutable]
public sealed record CoveredCommit(string Repo, string Sha);
