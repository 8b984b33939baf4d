using System.IO.Compression;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansReleases.Web.Hosting;

/// <summary>
/// Brotli or gzip, whichever the client accepts (Brotli first), for JSON (API answers and
/// problems), the dashboard's HTML, JavaScript, CSS and SVG. A release over 3,000 repos is about
/// 630 KB of JSON and a few tens of KB compressed.
/// <para>
/// BREACH: compression leaks the length of a response, so a response that reflects
/// attacker-chosen text next to a secret can give the secret away. No compressed body here carries
/// a secret: the API answers hold release data the signed-in reader may see anyway, the session
/// cookie travels in headers (never compressed), no anti-forgery token is in a body (state changes
/// are guarded by <c>X-Requested-With</c> and SameSite cookies), and the GitHub token and the webhook
/// secret are never answered. So compression is on over HTTPS too. Server-sent events and
/// WebSockets (SignalR) are not compressed by this middleware.
/// </para>
/// </summary>
public static class CompressionSetup
{
    public static IServiceCollection AddReleasesCompression(this IServiceCollection services)
    {
        services.AddResponseCompression(options =>
        {
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = [.. ResponseCompressionDefaults.MimeTypes, "application/problem+json", "image/svg+xml"];
        });

        // Fastest: Brotli's default level costs tens of milliseconds of CPU per big release, and the
        // fastest level already takes the JSON of a release to a few percent of its size.
        services.Configure<BrotliCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        return services;
    }
}
