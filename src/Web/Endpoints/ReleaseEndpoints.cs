using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Net.Http.Headers;
using Microsoft.Extensions.Options;
using OrleansReleases.Grains.Chat;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Grains.Storage;
using OrleansReleases.Web.Auth;
using OrleansReleases.Web.Hubs;
using OrleansReleases.Web.Problems;

namespace OrleansReleases.Web.Endpoints;

/// <summary>
/// <c>/api/releases</c>: the HTTP contract of API.md. Each handler checks its input, asks the
/// release's grain (or the index, for the list), and answers with a typed result. Rule
/// violations travel as <see cref="ReleaseRuleException"/> and become problems in
/// <see cref="ProblemExceptionHandler"/>.
/// </summary>
public static class ReleaseEndpoints
{
    public static RouteGroupBuilder MapReleaseEndpoints(this RouteGroupBuilder api)
    {
        var releases = api.MapGroup("/releases").WithTags("Releases");
        releases.MapGet("/", ListAsync);
        releases.MapPost("/", CreateAsync);
        releases.MapGet("/{id}", GetAsync);
        releases.MapPatch("/{id}", UpdateAsync);
        releases.MapPost("/{id}/refresh", RefreshAsync);
        releases.MapPatch("/{id}/repos/{name}", UpdateRepoAsync);
        releases.MapPost("/{id}/approve/{kind}", ApproveAsync);
        releases.MapDelete("/{id}/approve/{kind}", WithdrawAsync);
        releases.MapPost("/{id}/deploy", DeployAsync);
        releases.MapGet("/{id}/history", HistoryAsync);
        return api;
    }

    private static async Task<Results<Ok<ReleasePage>, ProblemHttpResult>> ListAsync(
        IReleaseCatalog catalog, string? status, string? source, string? dest, string? search, string? limit, string? cursor,
        CancellationToken cancellationToken)
    {
        ReleaseStatus? statusFilter = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!Enum.TryParse<ReleaseStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(status, out _))
            {
                return ReleaseProblems.BadRequest("status must be pending, approved or deployed.");
            }

            statusFilter = parsed;
        }

        var pageSize = ReleaseQuery.DefaultLimit;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, out pageSize) || pageSize is < 1 or > ReleaseQuery.MaxLimit))
        {
            return ReleaseProblems.BadRequest($"limit must be a whole number from 1 to {ReleaseQuery.MaxLimit}.");
        }

        if (search is { Length: > 200 } || source is { Length: > BranchName.MaxLength } || dest is { Length: > BranchName.MaxLength })
        {
            return ReleaseProblems.BadRequest($"search must be at most 200 characters and branch names at most {BranchName.MaxLength}.");
        }

        if (!string.IsNullOrEmpty(cursor) && !ReleaseCursor.TryParse(cursor, out _))
        {
            return ReleaseProblems.BadRequest("cursor is not one this service gave out; use nextCursor from the previous page.");
        }

        var page = await catalog.ListAsync(new ReleaseQuery(statusFilter, source, dest, search, pageSize, cursor), cancellationToken);
        return TypedResults.Ok(page);
    }

    private static async Task<Results<Created<ReleaseView>, ProblemHttpResult>> CreateAsync(
        CreateReleaseRequest request, ReleaseService service, IHubContext<ReleasesHub> hub, IOptions<MattermostOptions> chat,
        TimeProvider clock, HttpContext context)
    {
        // Releases created outside chat are announced in the default channel, when there is one.
        var channel = chat.Value.Enabled ? chat.Value.DefaultChannel : null;
        var spec = new NewRelease(request.SourceBranch?.Trim(' ') ?? "", request.DestBranch?.Trim(' ') ?? "", request.Notes, channel);
        var progress = HubProgress.Requested(context, hub, clock);
        var release = await service.CreateAsync(spec, context.User.ToActor(), progress, context.RequestAborted);
        SetETag(context, release);
        return TypedResults.Created($"/api/releases/{release.Id}", release);
    }

    private static async Task<Results<Ok<ReleaseView>, ProblemHttpResult>> GetAsync(string id, IGrainFactory grains, HttpContext context)
    {
        var release = await Grain(grains, id).Get();
        if (release is null)
        {
            return ReleaseProblems.NotFound($"Release {id} not found.");
        }

        SetETag(context, release);
        return TypedResults.Ok(release);
    }

    private static async Task<Results<Ok<ReleaseView>, ProblemHttpResult>> UpdateAsync(
        string id, UpdateReleaseRequest request, IGrainFactory grains, HttpContext context)
    {
        var release = await Grain(grains, id).EditText(context.User.ToActor(), request.Notes, request.BreakingChanges, IfMatch(context));
        SetETag(context, release);
        return TypedResults.Ok(release);
    }

    private static async Task<Ok<ReleaseView>> RefreshAsync(
        string id, ReleaseService service, IHubContext<ReleasesHub> hub, TimeProvider clock, HttpContext context)
    {
        EnsureWellFormed(id);
        var progress = HubProgress.Requested(context, hub, clock);
        var release = await service.RefreshAsync(id, context.User.ToActor(), progress, context.RequestAborted);
        SetETag(context, release);
        return TypedResults.Ok(release);
    }

    private static async Task<Ok<ReleaseView>> UpdateRepoAsync(
        string id, string name, UpdateRepoRequest request, IGrainFactory grains, HttpContext context)
    {
        if (request.DependsOn is { } dependsOn && dependsOn.Any(string.IsNullOrEmpty))
        {
            throw new ReleaseRuleException(RuleViolation.InvalidInput, "dependsOn must list repo names, without empty entries.");
        }

        var release = await Grain(grains, id).UpdateRepo(context.User.ToActor(), name, request.Excluded, request.DependsOn, IfMatch(context));
        SetETag(context, release);
        return TypedResults.Ok(release);
    }

    private static async Task<Ok<ReleaseView>> ApproveAsync(string id, string kind, IGrainFactory grains, HttpContext context)
    {
        var release = await Grain(grains, id).Approve(context.User.ToActor(), ParseKind(kind));
        SetETag(context, release);
        return TypedResults.Ok(release);
    }

    private static async Task<Ok<ReleaseView>> WithdrawAsync(string id, string kind, IGrainFactory grains, HttpContext context)
    {
        var release = await Grain(grains, id).Withdraw(context.User.ToActor(), ParseKind(kind));
        SetETag(context, release);
        return TypedResults.Ok(release);
    }

    private static async Task<Ok<ReleaseView>> DeployAsync(string id, IGrainFactory grains, HttpContext context)
    {
        var release = await Grain(grains, id).Deploy(context.User.ToActor());
        SetETag(context, release);
        return TypedResults.Ok(release);
    }

    private static async Task<Results<Ok<IReadOnlyList<HistoryEntry>>, ProblemHttpResult>> HistoryAsync(
        string id, IGrainFactory grains, IReleaseCatalog catalog, CancellationToken cancellationToken)
    {
        if (await Grain(grains, id).Get() is null)
        {
            return ReleaseProblems.NotFound($"Release {id} not found.");
        }

        return TypedResults.Ok(await catalog.HistoryAsync(id, cancellationToken));
    }

    private static IReleaseGrain Grain(IGrainFactory grains, string id)
    {
        EnsureWellFormed(id);
        return grains.GetGrain<IReleaseGrain>(id);
    }

    /// <summary>An id no release could have is a 404 without waking a grain.</summary>
    private static void EnsureWellFormed(string id)
    {
        if (!ReleaseId.IsWellFormed(id))
        {
            throw new ReleaseRuleException(RuleViolation.NotFound, "Release not found.");
        }
    }

    private static ApprovalKind ParseKind(string kind) =>
        ApprovalKindNames.TryParse(kind, out var parsed)
            ? parsed
            : throw new ReleaseRuleException(RuleViolation.NotFound, "There are two approvals: dev and qa.");

    /// <summary>The version an <c>If-Match: "&lt;version&gt;"</c> header expects; null without the header or with <c>*</c>.</summary>
    private static long? IfMatch(HttpContext context)
    {
        var header = context.Request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0 || header == "*")
        {
            return null;
        }

        if (header.StartsWith("W/", StringComparison.Ordinal))
        {
            header = header[2..];
        }

        var value = header.Trim('"');
        return long.TryParse(value, System.Globalization.NumberStyles.None, null, out var version)
            ? version
            : throw new ReleaseRuleException(RuleViolation.InvalidInput, "If-Match must be a release version in quotes, such as \"12\".");
    }

    private static void SetETag(HttpContext context, ReleaseView release) =>
        context.Response.Headers[HeaderNames.ETag] = $"\"{release.Version}\"";
}
