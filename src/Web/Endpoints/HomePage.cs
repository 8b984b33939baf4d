using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using OrleansReleases.Grains;

namespace OrleansReleases.Web.Endpoints;

/// <summary>A plain start page until the dashboard is served here: who you are and where the API is.</summary>
public static class HomePage
{
    public static IEndpointRouteBuilder MapHomePage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext context, IOptions<ReleasesOptions> options) =>
        {
            var name = WebUtility.HtmlEncode(context.User.Identity?.Name);
            var demo = options.Value.Demo ? "<p><strong>Demo data:</strong> the repositories are samples made by <code>--demo</code>.</p>" : "";
            return TypedResults.Content($"""
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>OrleansReleases</title></head>
                <body style="font:16px system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem">
                <h1>OrleansReleases</h1><p>Signed in as {name}. <a href="/auth/logout">Sign out</a></p>{demo}
                <p>The API: <a href="/api/releases">/api/releases</a>, <a href="/api/me">/api/me</a>.</p></body></html>
                """, "text/html; charset=utf-8");
        }).RequireAuthorization().ExcludeFromDescription();
        return app;
    }
}
