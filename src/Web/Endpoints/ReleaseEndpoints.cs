using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Grains.Storage;
using OrleansReleases.Web.Auth;
using OrleansReleases.Web.Hubs;
using OrleansReleases.Web.Problems;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace OrleansReleases.Web.Endpoints;

/// <summary>
/// <c>/api/releases</c>: the HTTP contract of docs/api.md. Each handler checks its input, asks the
/// release's grain (or the index, for the list), and answers with a typed result. Rule
/// violations travel as <see cref="ReleaseRuleException"/> and become problems in
/// <see cref="ProblemExceptionHandler"/>; each route declares the problems it can answer with.
/// </summary>
public static class ReleaseEndpoints
{
    public static RouteGroupBuilder MapReleaseEndpoints(this RouteGroupBuilder api)
    {
        var releases = api.MapGroup("/releases").WithTags("Releases");

        releases.MapGet("/", ListAsync)
            .WithName("ListReleases")
            .WithSummary("List releases, newest first")
            .WithDescription("Filters by status, branches and text (id, branches, notes, repo names, creator); pages with limit and nextCursor.")
            .ProducesReleaseProblems(Status400BadRequest);

        releases.MapPost("/", CreateAsync)
            .WithName("CreateRelease")
            .WithSummary("Create a release")
            .WithDescription("Compares the branches in every repository; every repo whose source branch has commits the destination lacks is in the release. "
                + "Send X-Progress-Id to hear compareProgress on the hub. 409 when no repository source is configured.")
            .ProducesReleaseProblems(Status400BadRequest, Status403Forbidden, Status409Conflict, Status413PayloadTooLarge,
                Status415UnsupportedMediaType, Status422UnprocessableEntity);

        releases.MapGet("/{id}", GetAsync)
            .WithName("GetRelease")
            .WithSummary("Get a release")
            .WithDescription("The ETag header carries the release's version, the value If-Match expects.")
            .ProducesReleaseProblems(Status404NotFound);

        releases.MapPatch("/{id}", UpdateAsync)
            .WithName("UpdateRelease")
            .WithSummary("Edit notes and breaking changes")
            .WithDescription("An absent field stays as it is. With If-Match: \"<version>\", 412 when the release has moved on.")
            .ProducesReleaseProblems(Status400BadRequest, Status403Forbidden, Status404NotFound, Status409Conflict,
                Status412PreconditionFailed, Status413PayloadTooLarge, Status415UnsupportedMediaType);

        releases.MapPost("/{id}/refresh", RefreshAsync)
            .WithName("RefreshRelease")
            .WithSummary("Compare the branches again")
            .WithDescription("New head commits in included repos dismiss both approvals.")
            .ProducesReleaseProblems(Status400BadRequest, Status403Forbidden, Status404NotFound, Status409Conflict);

        releases.MapPatch("/{id}/repos/{name}", UpdateRepoAsync)
            .WithName("UpdateRepo")
            .WithSummary("Exclude a repo or set what it depends on")
            .WithDescription("An absent field stays as it is. 400 when dependsOn names a repo not in the release, or the repo itself. With If-Match, 412 when the release has moved on.")
            .ProducesReleaseProblems(Status400BadRequest, Status403Forbidden, Status404NotFound, Status409Conflict,
                Status412PreconditionFailed, Status413PayloadTooLarge, Status415UnsupportedMediaType);

        releases.MapPost("/{id}/approve/{kind}", ApproveAsync)
            .WithName("Approve")
            .WithSummary("Give the dev or qa approval")
            .WithDescription("The approval covers every included repo's head commit as the release holds it now. With If-Match: \"<version>\" (the dashboard always sends it), "
                + "412 when the release has moved on since the approver loaded it. Needs the approval's role (403). One person cannot hold both approvals, "
                + "and there is no approval while the deploy order has a cycle, while an included repo is stale, while the checks rule (Releases:Gate:Checks) "
                + "refuses it (an included repo's checks fail, or with require-success are pending; the problem names the repos and checks), or after deploy (409).")
            .ProducesReleaseProblems(Status400BadRequest, Status403Forbidden, Status404NotFound, Status409Conflict, Status412PreconditionFailed);

        releases.MapDelete("/{id}/approve/{kind}", WithdrawAsync)
            .WithName("WithdrawApproval")
            .WithSummary("Withdraw the dev or qa approval")
            .WithDescription("Needs the approval's role (403); 409 after deploy.")
            .ProducesReleaseProblems(Status403Forbidden, Status404NotFound, Status409Conflict);

        releases.MapPost("/{id}/deploy", DeployAsync)
            .WithName("DeployRelease")
            .WithSummary("Mark the release deployed")
            .WithDescription("Needs the deployer or Dev lead role (403). Compares the branches again first. Needs both approvals (or a deploy under way) and a deploy order without a cycle (409 otherwise); "
                + "409 while a repo's last deployment failed, and while deploys are frozen (an admin may send override: \"<reason>\"). "
                + "When an included repo's head moved, the set of repos changed, or an included repo cannot be compared, 409 naming the repos "
                + "(old → new commit): the comparison is stored as a refresh and approvals that no longer cover it are dismissed. The release is frozen once deployed.")
            .ProducesReleaseProblems(Status400BadRequest, Status403Forbidden, Status404NotFound, Status409Conflict, Status415UnsupportedMediaType);

        releases.MapGet("/{id}/history", HistoryAsync)
            .WithName("GetReleaseHistory")
            .WithSummary("Every change to a release, oldest first")
            .ProducesReleaseProblems(Status404NotFound);

        return api;
    }

    public static async Task<Results<Ok<ReleasePage>, ProblemHttpResult>> ListAsync(
        [AsParameters] ListReleasesQuery query, IReleaseCatalog catalog, CancellationToken cancellationToken)
    {
        ReleaseStatus? statusFilter = null;
        if (!string.IsNullOrEmpty(query.Status))
        {
            if (!Enum.TryParse<ReleaseStatus>(query.Status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(query.Status, out _))
            {
                return ReleaseProblems.BadRequest("status must be pending, approved, deploying or deployed.");
            }

            statusFilter = parsed;
        }

        var pageSize = ReleaseQuery.DefaultLimit;
        if (!string.IsNullOrEmpty(query.Limit) && (!int.TryParse(query.Limit, out pageSize) || pageSize is < 1 or > ReleaseQuery.MaxLimit))
        {
            return ReleaseProblems.BadRequest($"limit must be a whole number from 1 to {ReleaseQuery.MaxLimit}.");
        }

        if (query.Search is { Length: > 200 } || query.Source is { Length: > BranchName.MaxLength } || query.Dest is { Length: > BranchName.MaxLength })
        {
            return ReleaseProblems.BadRequest($"search must be at most 200 characters and branch names at most {BranchName.MaxLength}.");
        }

        if (!string.IsNullOrEmpty(query.Cursor) && !ReleaseCursor.TryParse(query.Cursor, out _))
        {
            return ReleaseProblems.BadRequest("cursor is not one this service gave out; use nextCursor from the previous page.");
        }

        var page = await catalog.ListAsync(
            new ReleaseQuery(statusFilter, query.Source, query.Dest, query.Search, pageSize, query.Cursor), cancellationToken);
        return TypedResults.Ok(page);
    }

    public static async Task<Created<ReleaseView>> CreateAsync(
        CreateReleaseRequest request, [FromHeader(Name = ProgressId.Header)] string? progressId,
        [AsParameters] ReleaseServices services, HttpContext context)
    {
        // The chat channel that hears about it is the service's choice (the default channel).
        var spec = new NewRelease(request.SourceBranch?.Trim(' ') ?? "", request.DestBranch?.Trim(' ') ?? "", request.Notes);
        var progress = HubProgress.For(progressId, services.Hub, services.Clock);
        var release = await services.Releases.CreateAsync(spec, context.User.ToActor(), progress, context.RequestAborted);
        SetETag(context, release);
        return TypedResults.Created($"/api/releases/{release.Id}", release);
    }

    public static async Task<Results<Ok<ReleaseView>, ProblemHttpResult>> GetAsync(
        string id, [AsParameters] ReleaseServices services, HttpContext context)
    {
        var release = await Grain(services, id).Get();
        if (release is null)
        {
            return ReleaseProblems.NotFound($"Release {id} not found.");
        }

        SetETag(context, release);
        return TypedResults.Ok(release);
    }

    public static async Task<Ok<ReleaseView>> UpdateAsync(
        string id, UpdateReleaseRequest request, [FromHeader(Name = "If-Match")] string? ifMatch,
        [AsParameters] ReleaseServices services, HttpContext context)
    {
        var release = await Grain(services, id).EditText(context.User.ToActor(), request.Notes, request.BreakingChanges, ParseIfMatch(ifMatch));
        SetETag(context, release);
        return TypedResults.Ok(release);
    }

    public static async Task<Ok<ReleaseView>> RefreshAsync(
        string id, [FromHeader(Name = ProgressId.Header)] string? progressId, [AsParameters] ReleaseServices services, HttpContext context)
    {
        EnsureWellFormed(id);
        var progress = HubProgress.For(progressId, services.Hub, services.Clock);
        var release = await services.Releases.RefreshAsync(id, context.User.ToActor(), progress, context.RequestAborted);
        SetETag(context, release);
        return TypedResults.Ok(release);
    }

    public static async Task<Ok<ReleaseView>> UpdateRepoAsync(
        string id, string name, UpdateRepoRequest request, [FromHeader(Name = "If-Match")] string? ifMatch,
        [AsParameters] ReleaseServices services, HttpContext context)
    {
        if (request.DependsOn is { } dependsOn && dependsOn.Any(string.IsNullOrEmpty))
        {
            throw new ReleaseRuleException(RuleViolation.InvalidInput, "dependsOn must list repo names, without empty entries.");
        }

        var release = await Grain(services, id).UpdateRepo(context.User.ToActor(), name, request.Excluded, request.DependsOn, ParseIfMatch(ifMatch));
        SetETag(context, release);
        return TypedResults.Ok(release);
    }

    public static async Task<Ok<ReleaseView>> ApproveAsync(
        string id, string kind, [FromHeader(Name = "If-Match")] string? ifMatch, [AsParameters] ReleaseServices services, HttpContext context,
        ReleaseCommits commits)
    {
        var release = await Grain(services, id).Approve(context.User.ToActor(), ParseKind(kind), ParseIfMatch(ifMatch));
        commits.WarmInBackground(release); // what the approval covers stays readable whatever the branches do
        SetETag(context, release);
        return TypedResults.Ok(release);
    }

    public static async Task<Ok<ReleaseView>> WithdrawAsync(string id, string kind, [AsParameters] ReleaseServices services, HttpContext context)
    {
        var release = await Grain(services, id).Withdraw(context.User.ToActor(), ParseKind(kind));
        SetETag(context, release);
        return TypedResults.Ok(release);
    }

    public static async Task<Ok<ReleaseView>> DeployAsync(
        string id, [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] DeployRequest? request,
        [AsParameters] ReleaseServices services, DeployRoles roles, Grains.Freeze.FreezeService freezes, HttpContext context)
    {
        var actor = context.User.ToActor();
        roles.EnsureMayDeploy(actor, "Marking a release deployed");
        EnsureWellFormed(id);
        var freeze = await DeployEndpoints.FreezeCheckAsync(request?.Override, actor, roles, freezes);
        var release = await services.Releases.DeployAsync(id, actor, freeze, context.RequestAborted);
        SetETag(context, release);
        return TypedResults.Ok(release);
    }

    public static async Task<Results<Ok<IReadOnlyList<HistoryEntry>>, ProblemHttpResult>> HistoryAsync(
        string id, [AsParameters] ReleaseServices services, CancellationToken cancellationToken)
    {
        if (await Grain(services, id).Get() is null)
        {
            return ReleaseProblems.NotFound($"Release {id} not found.");
        }

        return TypedResults.Ok(await services.Catalog.HistoryAsync(id, cancellationToken));
    }

    private static IReleaseGrain Grain(ReleaseServices services, string id)
    {
        EnsureWellFormed(id);
        return services.Grains.GetGrain<IReleaseGrain>(id);
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
    private static long? ParseIfMatch(string? ifMatch)
    {
        var header = ifMatch?.Trim() ?? "";
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
