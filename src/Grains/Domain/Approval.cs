namespace OrleansReleases.Grains.Domain;

/// <summary>One sign-off: who gave it and when.</summary>
[GenerateSerializer, Immutable]
public sealed record Approval(string By, DateTime At);
