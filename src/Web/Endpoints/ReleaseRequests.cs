namespace OrleansReleases.Web.Endpoints;

/// <summary>Body of <c>POST /api/releases</c>.</summary>
public sealed record CreateReleaseRequest(string? SourceBranch, string? DestBranch, string? Notes);

/// <summary>Body of <c>PATCH /api/releases/{id}</c>; an absent (or null) field stays as it is.</summary>
public sealed record UpdateReleaseRequest(string? Notes, string? BreakingChanges);

/// <summary>Body of <c>PATCH /api/releases/{id}/repos/{name}</c>; an absent (or null) field stays as it is.</summary>
public sealed record UpdateRepoRequest(bool? Excluded, string[]? DependsOn);
