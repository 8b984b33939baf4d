using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace OrleansReleases.Web.Auth;

/// <summary>
/// The development login, which exists only while no identity provider is configured:
/// <c>/auth/dev-login?user=NAME&amp;roles=R1,R2&amp;returnUrl=/</c> signs in as anyone with any roles.
/// It answers only requests from this machine (unless <c>Auth:AllowDevelopmentLogin=true</c>), and
/// marks the sessions it makes, so they are refused once an identity provider is configured.
/// </summary>
public static class DevelopmentLoginEndpoints
{
    /// <summary>The authentication type of a development-login session.</summary>
    public const string AuthenticationType = "development-login";

    /// <summary>The claim that says how a session was made (<c>dev</c>, <c>oidc</c>, <c>bearer</c>).</summary>
    public const string MethodClaim = "auth_method";

    public const string DevelopmentMethod = "dev";

    /// <summary>Whether <paramref name="principal"/> was made by the development login (marked either way).</summary>
    public static bool MadeByDevelopmentLogin(ClaimsPrincipal? principal) =>
        principal is not null
        && (principal.HasClaim(MethodClaim, DevelopmentMethod)
            || principal.Identities.Any(identity => string.Equals(identity.AuthenticationType, AuthenticationType, StringComparison.Ordinal)));

    public static IEndpointRouteBuilder MapDevelopmentLogin(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/auth").ExcludeFromDescription();
        auth.MapGet("/dev-login", SignInAsync);
        auth.MapGet("/login", LoginPage);
        auth.MapGet("/logout", SignOutAsync);
        return app;
    }

    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> SignInAsync(
        HttpContext context, AuthSettings settings, string? user, string? roles, string? returnUrl)
    {
        if (!settings.AllowDevelopmentLogin && !Loopback.IsLoopback(context.Connection.RemoteIpAddress))
        {
            return TypedResults.Problem(statusCode: 403, title: "Development login is local only",
                detail: "The development login answers requests from this machine only. Configure Auth:Keycloak:Issuer, or set Auth:AllowDevelopmentLogin=true.");
        }

        user = user?.Trim();
        if (string.IsNullOrEmpty(user) || user.Length > 100 || user.Any(char.IsControl))
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid user", detail: "Give user=NAME (1 to 100 printable characters).");
        }

        returnUrl ??= "/";
        if (!LocalReturnUrl.IsLocal(returnUrl))
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid returnUrl", detail: "returnUrl must be a path of this site, such as /releases.");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, user),
            new(ClaimTypes.Email, $"{user}@dev.invalid"),
            new(MethodClaim, DevelopmentMethod),
            new(ClaimsPrincipalExtensions.ActorIdClaim, ClaimsPrincipalExtensions.DevelopmentId(user)),
        };
        claims.AddRange((roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct()
            .Select(role => new Claim(ClaimTypes.Role, role)));

        var identity = new ClaimsIdentity(claims, AuthenticationType);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return TypedResults.Redirect(returnUrl);
    }

    private static async Task<RedirectHttpResult> SignOutAsync(HttpContext context, CancellationToken cancellationToken)
    {
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.Redirect("/");
    }

    /// <summary>The sign-in page's one inline style; the Content-Security-Policy allows it by <see cref="StyleHash"/>.</summary>
    private const string Style = "body{font:16px system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}"
        + "label{display:block;margin:.75rem 0 .25rem}input{width:100%;padding:.5rem;font:inherit}"
        + "button{margin-top:1rem;padding:.5rem 1rem;font:inherit}";

    /// <summary>The CSP source of <see cref="Style"/>: <c>sha256-BASE64</c>.</summary>
    public static readonly string StyleHash =
        "sha256-" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Style)));

    /// <summary>A plain form for the development login, so a browser can sign in without crafting a URL.</summary>
    private static ContentHttpResult LoginPage(AuthSettings settings, string? returnUrl)
    {
        var target = WebUtility.HtmlEncode(LocalReturnUrl.IsLocal(returnUrl) ? returnUrl : "/");
        var roles = WebUtility.HtmlEncode($"{settings.Roles.DevLead},{settings.Roles.Qa}");
        var html = $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Sign in · OrleansReleases</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>{{Style}}</style></head>
            <body><h1>Development sign-in</h1>
            <p>No identity provider is configured, so anyone may sign in here as anyone.</p>
            <form method="get" action="/auth/dev-login">
            <label for="user">Name</label><input id="user" name="user" required autofocus>
            <label for="roles">Roles (comma-separated)</label><input id="roles" name="roles" value="{{roles}}">
            <input type="hidden" name="returnUrl" value="{{target}}">
            <button type="submit">Sign in</button></form></body></html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }
}
