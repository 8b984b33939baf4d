using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Freeze;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Web.Auth;
using OrleansReleases.Web.Hubs;
using OrleansReleases.Web.Problems;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace OrleansReleases.Web.Endpoints;

/// <summary>
/// Body of <c>POST /api/releases/{id}/repos/{name}/deployment</c>: the commit deployed, how it went,
/// a link to the pipeline run, and (admins only) a reason to go through a freeze.
/// </summary>
public sealed record DeploymentReportRequest(string? Sha, DeploymentState? State, string? Url, string? Override);

/// <summary>Body of <c>POST /api/releases/{id}/deploy</c> (optional): an admin's reason to go through a freeze.</summary>
public sealed record DeployRequest(string? Override);

/// <summary>Body of <c>PUT /api/freeze</c>: why deploys stop, and until when (absent: until switched off).</summary>
public sealed record FreezeRequest(string? Reason, DateTimeOffset? Until);

/// <summary>What the deploy handlers work with, bound as one parameter (<c>[AsParameters]</c>).</summary>
public sealed record DeployServices(IGrainFactory Grains, ReleaseService Releases, FreezeService Freezes, DeployRoles Roles, HubClusterNotices Notices);

/// <summary>
/// Deploying: the plan pipelines follow (<c>GET /api/releases/{id}/plan</c>), their per-repo reports
/// (<c>POST /api/releases/{id}/repos/{name}/deployment</c>, rules in <see cref="DeploymentRules"/>), and
/// the stop-the-line switch (<c>/api/freeze</c>).
/// </summary>
public static class DeployEndpoints
{
    /// <summary>The hub event that carries a <see cref="FreezeStatus"/> when the switch changes.</summary>
    public const string FreezeChangedEvent = "freezeChanged";

    public const int MaxUrlLength = 2_000;
    public const int MaxReasonLength = 500;

    public static RouteGroupBuilder MapDeployEndpoints(this RouteGroupBuilder api)
    {
        var releases = api.MapGroup("/releases").WithTags("Deploys");
        releases.MapGet("/{id}/plan", GetPlanAsync)
            .WithName("GetDeployPlan")
            .WithSummary("The deploy plan pipelines follow")
            .WithDescription("The included repos in deploy order, layer 1 first, each with the commit the approvals cover, its dependencies and its last "
                + "deployment report; rollback lists the layers of repos already deployed, last layer first. 409 unless the release is approved, deploying or deployed.")
            .ProducesReleaseProblems(Status404NotFound, Status409Conflict);

        releases.MapPost("/{id}/repos/{name}/deployment", ReportAsync)
            .WithName("ReportDeployment")
            .WithSummary("Report a repo's deployment (in_progress, success, failure)")
            .WithDescription("By a pipeline or a person with the deployer or Dev lead role (403). 409, saying why, unless the release is approved or deploying, "
                + "sha is the commit the approvals cover, and (to start: in_progress or success) every repo of the earlier layers succeeded and no freeze is in force. "
                + "A failed repo may be retried. An admin may pass override: \"<reason>\" to go through a freeze.")
            .ProducesReleaseProblems(Status400BadRequest, Status403Forbidden, Status404NotFound, Status409Conflict,
                Status413PayloadTooLarge, Status415UnsupportedMediaType);

        var freeze = api.MapGroup("/freeze").WithTags("Freeze");
        freeze.MapGet("/", GetFreezeAsync)
            .WithName("GetFreeze")
            .WithSummary("Are deploys frozen?")
            .WithDescription("The stop-the-line switch when it is on, else the freeze window in force (until: its end); windows lists each window's current or next occurrence.");
        freeze.MapPut("/", SetFreezeAsync)
            .WithName("SetFreeze")
            .WithSummary("Stop the line: freeze deploys")
            .WithDescription("Needs the admin role. While frozen, starting a deployment and marking a release deployed answer 409 naming the freeze.")
            .ProducesReleaseProblems(Status400BadRequest, Status403Forbidden, Status413PayloadTooLarge, Status415UnsupportedMediaType);
        freeze.MapDelete("/", ClearFreezeAsync)
            .WithName("ClearFreeze")
            .WithSummary("Lift the stop-the-line switch")
            .WithDescription("Needs the admin role. Freeze windows of the settings still apply.")
            .ProducesReleaseProblems(Status403Forbidden);
        return api;
    }

    public static async Task<Results<Ok<DeployPlan>, ProblemHttpResult>> GetPlanAsync(string id, [AsParameters] DeployServices services)
    {
        var release = ReleaseId.IsWellFormed(id) ? await services.Grains.GetGrain<IReleaseGrain>(id).Get() : null;
        if (release is null)
        {
            return ReleaseProblems.NotFound($"Release {id} not found.");
        }

        return TypedResults.Ok(DeployPlan.From(release));
    }

    public static async Task<Ok<ReleaseView>> ReportAsync(
        string id, string name, DeploymentReportRequest request, [AsParameters] DeployServices services, HttpContext context)
    {
        var actor = context.User.ToActor();
        services.Roles.EnsureMayDeploy(actor, "Reporting a deployment");
        if (request.State is not { } state)
        {
            throw new ReleaseRuleException(RuleViolation.InvalidInput, "state must be in_progress, success or failure.");
        }

        if (string.IsNullOrWhiteSpace(request.Sha))
        {
            throw new ReleaseRuleException(RuleViolation.InvalidInput, "sha must name the commit deployed (the one the approvals cover).");
        }

        var url = request.Url?.Trim();
        if (!string.IsNullOrEmpty(url) && (url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var parsed)
            || parsed.Scheme is not ("http" or "https")))
        {
            throw new ReleaseRuleException(RuleViolation.InvalidInput, $"url must be an http or https address of at most {MaxUrlLength} characters.");
        }

        var freeze = await FreezeCheckAsync(request.Override, actor, services.Roles, services.Freezes);
        if (!ReleaseId.IsWellFormed(id))
        {
            throw new ReleaseRuleException(RuleViolation.NotFound, "Release not found.");
        }

        var release = await services.Grains.GetGrain<IReleaseGrain>(id)
            .ReportDeployment(actor, new DeploymentReport(name, request.Sha.Trim(), state, string.IsNullOrEmpty(url) ? null : url), freeze);
        context.Response.Headers[HeaderNames.ETag] = $"\"{release.Version}\"";
        return TypedResults.Ok(release);
    }

    /// <summary>The freeze in force and the caller's override; an override needs the admin role (403).</summary>
    public static async Task<FreezeCheck> FreezeCheckAsync(string? overrideReason, Actor actor, DeployRoles roles, FreezeService freezes)
    {
        if (!string.IsNullOrWhiteSpace(overrideReason))
        {
            roles.EnsureAdmin(actor, "Going through a freeze (override)");
            if (overrideReason.Length > MaxReasonLength)
            {
                throw new ReleaseRuleException(RuleViolation.InvalidInput, $"override must be at most {MaxReasonLength} characters.");
            }
        }

        return await freezes.CheckAsync(overrideReason);
    }

    public static async Task<Ok<FreezeStatus>> GetFreezeAsync(FreezeService freezes) => TypedResults.Ok(await freezes.StatusAsync());

    public static async Task<Ok<FreezeStatus>> SetFreezeAsync(FreezeRequest request, [AsParameters] DeployServices services, HttpContext context)
    {
        var actor = context.User.ToActor();
        services.Roles.EnsureAdmin(actor, "Freezing deploys");
        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > MaxReasonLength)
        {
            throw new ReleaseRuleException(RuleViolation.InvalidInput, $"reason must say why deploys stop, in at most {MaxReasonLength} characters.");
        }

        await services.Freezes.Switch.Set(actor, reason, request.Until?.UtcDateTime);
        return TypedResults.Ok(await AnnounceAsync(services));
    }

    public static async Task<Ok<FreezeStatus>> ClearFreezeAsync([AsParameters] DeployServices services, HttpContext context)
    {
        var actor = context.User.ToActor();
        services.Roles.EnsureAdmin(actor, "Lifting the freeze");
        await services.Freezes.Switch.Clear(actor);
        return TypedResults.Ok(await AnnounceAsync(services));
    }

    /// <summary>Tells the browsers connected to every silo (<c>freezeChanged</c>), and answers the freeze now.</summary>
    private static async Task<FreezeStatus> AnnounceAsync(DeployServices services)
    {
        await services.Notices.AnnounceFreezeChangedAsync();
        return await services.Freezes.StatusAsync();
    }
}
