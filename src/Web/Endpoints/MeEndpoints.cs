using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using OrleansReleases.Grains;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Web.Auth;

namespace OrleansReleases.Web.Endpoints;

/// <summary>
/// The signed-in user, what they may approve, and whether the service runs on demo data. <see cref="Id"/>
/// is the stable id approvals and history record (<c>&lt;issuer&gt;|&lt;sub&gt;</c>, or <c>dev:NAME</c>).
/// </summary>
public sealed record MeResponse(string Name, string? Email, IReadOnlyList<string> Roles, bool CanApproveDev, bool CanApproveQa, bool Demo, string Id);

public static class MeEndpoints
{
    public static RouteGroupBuilder MapMeEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/me", GetMe)
            .WithTags("Me")
            .WithName("GetMe")
            .WithSummary("Who is signed in")
            .WithDescription("The name, stable id, email and roles of the caller, which approvals they may give, and whether the service runs on demo data.");
        return api;
    }

    public static Ok<MeResponse> GetMe(HttpContext context, ApprovalRoles roles, IOptions<ReleasesOptions> options)
    {
        var actor = context.User.ToActor();
        return TypedResults.Ok(new MeResponse(actor.Name, context.User.Email(), actor.Roles,
            ApprovalRules.MayApprove(actor, ApprovalKind.Dev, roles),
            ApprovalRules.MayApprove(actor, ApprovalKind.Qa, roles),
            options.Value.Demo,
            // Every session that gets here has an id: sign-in refuses those without one.
            actor.Id ?? throw new InvalidOperationException("The session carries no actor id.")));
    }
}
