using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansReleases.Grains;
using OrleansReleases.Web.Auth;
using OrleansReleases.Web.Endpoints;
using OrleansReleases.Web.Hubs;
using OrleansReleases.Web.Problems;
using OrleansReleases.Web.Webhooks;

namespace OrleansReleases.Web.Hosting;

/// <summary>Everything HTTP: JSON conventions, problems, sign-in, the endpoints, and the GitHub webhook.</summary>
public static class WebSetup
{
    public static IServiceCollection AddReleasesWeb(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<JsonOptions>(options => ConfigureJson(options.SerializerOptions));
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddReleasesAuthentication(configuration);
        services.AddReleasesOpenApi();
        services.AddSignalR().AddJsonProtocol(options => ConfigureJson(options.PayloadSerializerOptions));
        services.AddHostedService<HubNotifier>();
        services.AddSingleton<HubConnections>();
        services.AddSingleton<HubClusterNotices>();
        services.AddHostedService(provider => provider.GetRequiredService<HubClusterNotices>());
        services.AddGitHubWebhook(configuration);
        services.AddReleasesCompression();
        return services;
    }

    /// <summary>camelCase, enums as camelCase words, and unknown fields refused (a typo must not be ignored silently).</summary>
    public static void ConfigureJson(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        json.MaxDepth = 32;
        // Numbers are numbers, in both directions (and so in the OpenAPI document), never numeric strings.
        json.NumberHandling = JsonNumberHandling.Strict;
    }

    public static WebApplication UseReleasesWeb(this WebApplication app)
    {
        var releases = app.Services.GetRequiredService<IOptions<ReleasesOptions>>().Value;
        if (releases.BehindProxy)
        {
            // Behind a reverse proxy: scheme and client address from X-Forwarded-*, believed only from
            // Releases:TrustedProxies, so the session cookie is Secure and redirects use https.
            app.UseForwardedHeaders(ForwardedHeadersSetup.Options(releases));
        }

        app.UseResponseCompression(); // outermost of what writes bodies: problems, API answers and the dashboard's files
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        // Empty 4xx answers (401, 404, 405, 415) get a problem body too, whatever the Accept header.
        app.UseStatusCodePages(context => ProblemWriter.WriteAsync(context.HttpContext, new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = context.HttpContext.Response.StatusCode }));
        app.UseRequestBodyLimit();
        app.UseAuthentication();
        app.UseAuthorization();

        var settings = app.Services.GetRequiredService<AuthSettings>();
        if (settings.UsesDevelopmentLogin)
        {
            app.MapDevelopmentLogin();
        }
        else
        {
            app.MapSingleSignOn(); // and no development login at all: /auth/dev-login is 404
        }

        var api = app.MapGroup("/api")
            .RequireAuthorization()
            .AddEndpointFilter<RequireXmlHttpRequestFilter>()
            .ProducesReleaseProblems(StatusCodes.Status401Unauthorized);
        api.MapMeEndpoints();
        api.MapReleaseEndpoints();
        api.MapCommitEndpoints();
        api.MapGateEndpoints();
        api.MapDeployEndpoints();
        api.MapInsightsEndpoints();
        api.MapEvidenceEndpoints();
        app.MapGitHubWebhook();

        app.MapReleasesOpenApi(); // /openapi/v1.json for anyone, /api/docs for signed-in users
        app.MapHub<ReleasesHub>(ReleasesHub.Path);
        app.MapDashboard();
        return app;
    }
}
