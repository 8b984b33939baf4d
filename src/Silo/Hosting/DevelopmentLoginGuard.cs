using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OrleansReleases.Grains;
using OrleansReleases.Web.Auth;

namespace OrleansReleases.Silo.Hosting;

/// <summary>
/// The development login lets anyone sign in as anyone with any role, so while it is on (no
/// <c>Auth:Keycloak:Issuer</c>) the service starts only where nobody else can reach it: not behind
/// a reverse proxy, and listening on loopback only, unless <c>Auth:AllowDevelopmentLogin=true</c>.
/// Checked twice: on the configuration before anything starts (<c>urls</c>, <c>--urls</c>,
/// <c>ASPNETCORE_URLS</c>, <c>Kestrel:Endpoints:*:Url</c>), and on the addresses the server really
/// bound once it started, whatever configured them.
/// </summary>
public static class DevelopmentLoginGuard
{
    public static void EnsureStaysLocal(IConfiguration configuration, ReleasesOptions options)
    {
        var auth = Settings(configuration);
        if (!auth.UsesDevelopmentLogin || auth.AllowDevelopmentLogin)
        {
            return;
        }

        if (options.BehindProxy)
        {
            throw Refuse("is behind a reverse proxy (Releases:BehindProxy=true), so anyone who reaches the proxy could use it");
        }

        var urls = (configuration["urls"] ?? ReleasesApplication.DefaultUrl)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(endpoint => endpoint["Url"] ?? ""));
        ThrowIfExposed(urls);
    }

    /// <summary>After the server started: the addresses it really listens on.</summary>
    public static void AddStartedCheck(IServiceCollection services, IConfiguration configuration)
    {
        var auth = Settings(configuration);
        if (auth.UsesDevelopmentLogin && !auth.AllowDevelopmentLogin)
        {
            services.AddHostedService<ListeningCheck>();
        }
    }

    private static void ThrowIfExposed(IEnumerable<string> urls)
    {
        var exposed = urls.Where(url => !Loopback.IsLoopbackUrl(url)).Distinct(StringComparer.Ordinal).ToList();
        if (exposed.Count > 0)
        {
            throw Refuse($"would listen on {string.Join(", ", exposed.Select(url => url.Length == 0 ? "(an endpoint without Url)" : url))}");
        }
    }

    private static InvalidOperationException Refuse(string why) => new(
        $"{ReleasesApplication.StartRefusal}: the development login (no Auth:Keycloak:Issuer set) lets anyone sign in as anyone, and it {why}. " +
        "Configure an identity provider (Auth:Keycloak:Issuer), listen on 127.0.0.1 only, or set Auth:AllowDevelopmentLogin=true to accept the risk.");

    private static AuthSettings Settings(IConfiguration configuration) =>
        configuration.GetSection(AuthSettings.Section).Get<AuthSettings>() ?? new AuthSettings();

    /// <summary>Runs once every hosted service, the web server included, has started.</summary>
    private sealed class ListeningCheck(IServer server) : IHostedLifecycleService
    {
        public Task StartedAsync(CancellationToken cancellationToken)
        {
            ThrowIfExposed(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);
            return Task.CompletedTask;
        }

        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
