using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Mvc;
using OpenTelemetry.Metrics;
using OrleansReleases.Grains.Metrics;
using OrleansReleases.Grains.Storage;
using OrleansReleases.Web.Auth;
using OrleansReleases.Web.Problems;

namespace OrleansReleases.Silo.Hosting;

/// <summary>
/// Metrics for operators (README, "Metrics"): the service's own instruments (<see cref="ReleasesMetrics"/>),
/// ASP.NET Core's and Orleans' meters through OpenTelemetry. With <c>Releases:Metrics:Enabled</c> a Prometheus
/// scrape endpoint at <c>/metrics</c> answers loopback callers and bearer tokens with the admin role; with
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, the same metrics are exported over OTLP. Neither: nothing is collected.
/// </summary>
public static class MetricsSetup
{
    public const string Path = "/metrics";

    public const string EnabledSetting = "Releases:Metrics:Enabled";

    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static void AddReleasesMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ReleasesMetrics>();
        builder.Services.AddSingleton<IPublicationWriter>(provider => provider.GetRequiredService<ReleasesMetrics>());

        var scrape = builder.Configuration.GetValue<bool>(EnabledSetting);
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointSetting]);
        if (!scrape && !otlp)
        {
            return;
        }

        builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(ReleasesMetrics.MeterName, "Microsoft.Orleans")
                .AddAspNetCoreInstrumentation();
            if (scrape)
            {
                metrics.AddPrometheusExporter();
            }

            if (otlp)
            {
                metrics.AddOtlpExporter(); // reads OTEL_EXPORTER_OTLP_ENDPOINT (and _PROTOCOL, _HEADERS) itself
            }
        });
    }

    public static void MapReleasesMetrics(this WebApplication app)
    {
        if (!app.Configuration.GetValue<bool>(EnabledSetting))
        {
            return; // /metrics is then an unknown path: 404
        }

        app.UseWhen(context => context.Request.Path.StartsWithSegments(Path), branch => branch.Use(async (context, next) =>
        {
            if (await RefusalAsync(context) is { } status)
            {
                context.Response.StatusCode = status;
                await ProblemWriter.WriteAsync(context, new ProblemDetails
                {
                    Status = status,
                    Detail = $"{Path} answers loopback callers, and bearer tokens with the admin role.",
                });
                return;
            }

            await next(context);
        }));
        app.MapPrometheusScrapingEndpoint(Path);
    }

    /// <summary>Null when the caller may read the metrics: a loopback caller, or a bearer token with the admin role; else 401 or 403.</summary>
    private static async Task<int?> RefusalAsync(HttpContext context)
    {
        if (Loopback.IsLoopback(context.Connection.RemoteIpAddress))
        {
            return null;
        }

        var settings = context.RequestServices.GetRequiredService<AuthSettings>();
        if (settings.UsesDevelopmentLogin)
        {
            return StatusCodes.Status401Unauthorized; // no bearer tokens without an identity provider
        }

        var bearer = await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        if (!bearer.Succeeded)
        {
            return StatusCodes.Status401Unauthorized;
        }

        return bearer.Principal.IsInRole(settings.Roles.Admin) ? null : StatusCodes.Status403Forbidden;
    }
}
