using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.SignalR;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Grains.Storage;
using OrleansReleases.Web.Hubs;

namespace OrleansReleases.Web.Endpoints;

/// <summary>Body of <c>POST /api/releases</c>.</summary>
public sealed record CreateReleaseRequest(string? SourceBranch, string? DestBranch, string? Notes);

/// <summary>Body of <c>PATCH /api/releases/{id}</c>; an absent (or null) field stays as it is.</summary>
public sealed record UpdateReleaseRequest(string? Notes, string? BreakingChanges);

/// <summary>Body of <c>PATCH /api/releases/{id}/repos/{name}</c>; an absent (or null) field stays as it is.</summary>
public sealed record UpdateRepoRequest(bool? Excluded, string[]? DependsOn);

/// <summary>
/// The query of <c>GET /api/releases</c>. Every value arrives as text so that a bad one is answered
/// with a 400 that says what is allowed (see <c>ReleaseEndpoints.ListAsync</c>).
/// </summary>
public sealed record ListReleasesQuery(
    [FromQuery(Name = "status")] string? Status,
    [FromQuery(Name = "source")] string? Source,
    [FromQuery(Name = "dest")] string? Dest,
    [FromQuery(Name = "search")] string? Search,
    [FromQuery(Name = "limit")] string? Limit,
    [FromQuery(Name = "cursor")] string? Cursor);

/// <summary>What the release handlers work with, bound as one parameter (<c>[AsParameters]</c>).</summary>
public sealed record ReleaseServices(
    IGrainFactory Grains,
    ReleaseService Releases,
    IReleaseCatalog Catalog,
    IHubContext<ReleasesHub> Hub,
    TimeProvider Clock);
