namespace OrleansReleases.Grains.Domain;

/// <summary>
/// One sign-off: who gave it and when. <see cref="ById"/> is the approver's <see cref="Actor.Id"/>;
/// null for approvals stored before ids were recorded (those compare by name).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Approval(string By, DateTime At, string? ById = null);
