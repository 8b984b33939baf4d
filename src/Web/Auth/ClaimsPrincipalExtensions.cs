using System.Security.Claims;
using OrleansReleases.Grains.Domain;

namespace OrleansReleases.Web.Auth;

public static class ClaimsPrincipalExtensions
{
    /// <summary>
    /// The claim of a session that holds the actor's stable id (<see cref="Actor.Id"/>), set at sign-in:
    /// <c>&lt;issuer&gt;|&lt;sub&gt;</c> for single sign-on, <c>dev:NAME</c> for the development login.
    /// </summary>
    public const string ActorIdClaim = "actor_id";

    /// <summary>The id of a person signed in through single sign-on: the token's issuer and subject, so a browser session and a bearer token of one person agree.</summary>
    public static string SingleSignOnId(string issuer, string subject) => $"{issuer}|{subject}";

    /// <summary>The id of a development-login session: the name is all such a session ever had.</summary>
    public static string DevelopmentId(string name) => $"dev:{name}";

    /// <summary>The signed-in user as the grains know them: a name, a stable id and the roles they hold.</summary>
    public static Actor ToActor(this ClaimsPrincipal user)
    {
        var name = user.Identity?.Name ?? "unknown";
        return new Actor(name, user.FindAll(ClaimTypes.Role).Select(c => c.Value).Distinct().ToList(), user.ActorId());
    }

    /// <summary>
    /// The stable id of the session. A development-login session made before ids were recorded
    /// gets <c>dev:NAME</c> (it is the same thing); any other session without an id is refused at
    /// sign-in validation (<see cref="AuthenticationSetup"/>), so it never reaches here.
    /// </summary>
    public static string? ActorId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ActorIdClaim)
        ?? (DevelopmentLoginEndpoints.MadeByDevelopmentLogin(user) && user.Identity?.Name is { } name ? DevelopmentId(name) : null);

    public static string? Email(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Email);
}
