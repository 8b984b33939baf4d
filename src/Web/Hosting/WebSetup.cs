using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansReleases.Web.Auth;
using OrleansReleases.Web.Endpoints;
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
        services.AddGitHubWebhook(configuration);
        return services;
    }

    /// <summary>camelCase, enums as camelCase words, and unknown fields refused (a typo must not be ignored silently).</summary>
    public static void ConfigureJson(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        json.MaxDepth = 32;
    }

    public static WebApplication UseReleasesWeb(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(); // empty 4xx answers (401, 404, 405, 415) get a problem body too
        app.UseRequestBodyLimit();
        app.UseAuthentication();
        app.UseAuthorization();

        var settings = app.Services.GetRequiredService<AuthSettings>();
        if (settings.UsesDevelopmentLogin)
        {
            app.MapDevelopmentLogin();
        }

        var api = app.MapGroup("/api")
            .RequireAuthorization()
            .AddEndpointFilter<RequireXmlHttpRequestFilter>();
        api.MapMeEndpoints();
        api.MapReleaseEndpoints();
        app.MapGitHubWebhook();

        app.MapHomePage();
        return app;
    }
}
