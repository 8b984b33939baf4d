namespace OrleansReleases.Grains.Domain;

/// <summary>
/// One repo compared on its own (after a push to it): <paramref name="Name"/> as its source names
/// it (no prefix), <paramref name="Source"/> the source's prefix ("github", "local"), the change
/// found (null: no commits to release, or the repo lacks a branch) or why it could not be compared.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ComparedRepo(string Name, string Source, RepoChange? Change, string? Warning);
