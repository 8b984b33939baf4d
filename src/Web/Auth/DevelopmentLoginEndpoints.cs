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
/// </summary>
public static class DevelopmentLoginEndpoints
{
    public static IEndpointRouteBuilder MapDevelopmentLogin(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/auth").ExcludeFromDescription();
        auth.MapGet("/dev-login", SignInAsync);
        auth.MapGet("/login", LoginPage);
        auth.MapGet("/logout", SignOutAsync);
        return app;
    }

    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> SignInAsync(
        HttpContext context, string? user, string? roles, string? returnUrl)
    {
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
        };
        claims.AddRange((roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct()
            .Select(role => new Claim(ClaimTypes.Role, role)));

        var identity = new ClaimsIdentity(claims, "development-login");
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return TypedResults.Redirect(returnUrl);
    }

    private static async Task<RedirectHttpResult> SignOutAsync(HttpContext context, CancellationToken cancellationToken)
    {
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.Redirect("/");
    }

    /// <summary>A plain form for the development login, so a browser can sign in without crafting a URL.</summary>
    private static ContentHttpResult LoginPage(AuthSettings settings, string? returnUrl)
    {
        var target = WebUtility.HtmlEncode(LocalReturnUrl.IsLocal(returnUrl) ? returnUrl : "/");
        var roles = WebUtility.HtmlEncode($"{settings.Roles.DevLead},{settings.Roles.Qa}");
        var html = $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Sign in · OrleansReleases</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>body{font:16px system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}
            label{display:block;margin:.75rem 0 .25rem}input{width:100%;padding:.5rem;font:inherit}
            button{margin-top:1rem;padding:.5rem 1rem;font:inherit}</style></head>
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
