using System.Security.Claims;
using OrleansReleases.Grains.Domain;

namespace OrleansReleases.Web.Auth;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The signed-in user as the grains know them: a name and the roles they hold.</summary>
    public static Actor ToActor(this ClaimsPrincipal user) =>
        new(user.Identity?.Name ?? "unknown", user.FindAll(ClaimTypes.Role).Select(c => c.Value).Distinct().ToList());

    public static string? Email(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Email);
}
