using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace OrleansReleases.Web.Hosting;

/// <summary>
/// The Vue dashboard (web/), built by MSBuild and embedded in this assembly under
/// <c>dashboard/</c> (see OrleansReleases.Web.csproj). Its assets are served as static files; the
/// history-mode routes <c>/releases</c> and <c>/releases/{id}</c> answer index.html for signed-in
/// users (others go to the sign-in page) so a reload or a shared link works; <c>/</c> leads to
/// <c>/releases</c>. <c>/api</c>, <c>/auth</c> and <c>/hubs</c> are never answered from here.
/// </summary>
public static class DashboardFiles
{
    public const string ResourceRoot = "dashboard";

    /// <summary>The embedded dashboard; empty when the assembly was built without it.</summary>
    public static IFileProvider Open(Assembly? assembly = null)
    {
        try
        {
            return new ManifestEmbeddedFileProvider(assembly ?? typeof(DashboardFiles).Assembly, ResourceRoot);
        }
        catch (InvalidOperationException)
        {
            // No manifest or no dashboard/ folder in it: built with -p:SkipDashboardBuild=true.
            return new NullFileProvider();
        }
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        var files = Open();

        // Vite names every asset after its content hash, so they can be cached for good;
        // anything else (favicon) is revalidated.
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = context =>
            {
                context.Context.Response.Headers[HeaderNames.CacheControl] =
                    context.Context.Request.Path.StartsWithSegments("/assets")
                        ? "public, max-age=31536000, immutable"
                        : "no-cache";
            },
        });

        // Signed-out visitors of "/" go to the sign-in page and come back here, then to /releases.
        app.MapGet("/", () => TypedResults.Redirect("/releases"))
            .RequireAuthorization()
            .ExcludeFromDescription();

        var index = files.GetFileInfo("index.html");
        IResult ServeIndex(HttpContext context)
        {
            if (!index.Exists)
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "Dashboard not built",
                    detail: "This build of the service has no dashboard: it was built with SkipDashboardBuild=true. The API under /api works.");
            }

            context.Response.Headers[HeaderNames.CacheControl] = "no-cache";
            return TypedResults.Stream(index.CreateReadStream(), "text/html; charset=utf-8");
        }

        foreach (var route in new[] { "/releases", "/releases/{id}", "/insights" })
        {
            app.MapGet(route, ServeIndex).RequireAuthorization().ExcludeFromDescription();
        }

        return app;
    }
}
