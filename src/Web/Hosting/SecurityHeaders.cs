using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OrleansReleases.Web.Auth;

namespace OrleansReleases.Web.Hosting;

/// <summary>
/// Headers on every answer: <c>X-Content-Type-Options: nosniff</c>, <c>Referrer-Policy: same-origin</c>,
/// <c>Strict-Transport-Security</c> when served over HTTPS (directly or through a trusted proxy),
/// and a <c>Content-Security-Policy</c>: the dashboard's scripts and stylesheets come from this
/// origin only (no inline script; the development login page's one inline style by its hash), no
/// framing, no plugins. The API reference at <c>/api/docs</c> (Scalar, which configures itself with
/// an inline script and inline styles) has a policy of its own.
/// </summary>
public static class SecurityHeaders
{
    public static readonly string DashboardPolicy = string.Join("; ",
        "default-src 'self'",
        "script-src 'self'",
        $"style-src 'self' '{DevelopmentLoginEndpoints.StyleHash}'",
        // Style attributes (Vue's skeleton widths) cannot run code; scripts stay strict.
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'");

    public static readonly string ApiReferencePolicy = string.Join("; ",
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: https:",
        "font-src 'self' data: https://fonts.scalar.com",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'");

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // On starting, so answers the exception handler rewrites (it clears headers) carry them too.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments(OpenApiSetup.ReferencePath)
                    ? ApiReferencePolicy
                    : DashboardPolicy;
                if (context.Request.IsHttps)
                {
                    headers.StrictTransportSecurity = "max-age=31536000";
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
}
