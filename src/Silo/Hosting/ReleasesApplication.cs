using System.Net;
using OrleansReleases.Grains;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Grains.Sources;
using OrleansReleases.Grains.Storage;
using OrleansReleases.Web.Auth;
using OrleansReleases.Web.Hosting;

namespace OrleansReleases.Silo.Hosting;

/// <summary>
/// The whole service in one process: the Orleans silo that holds the release grains, and the
/// ASP.NET Core host that serves the API. Tests build it the same way the executable does.
/// </summary>
public static class ReleasesApplication
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static async Task<WebApplication> BuildAsync(string[] args)
    {
        // appsettings.json is read from beside the executable, wherever the service is started from;
        // relative paths such as Releases:DatabasePath still mean the working folder.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = CommandLine.Normalize(args),
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (string.IsNullOrWhiteSpace(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var options = builder.Configuration.GetSection(ReleasesOptions.Section).Get<ReleasesOptions>() ?? new ReleasesOptions();
        builder.Services.Configure<ReleasesOptions>(builder.Configuration.GetSection(ReleasesOptions.Section));
        EnsureDevelopmentLoginStaysLocal(builder.Configuration);

        var database = builder.AddReleasesStorage(options);
        await builder.AddRepositorySourcesAsync(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ReleaseService>();

        builder.UseOrleans(silo =>
        {
            silo.AddReleasesClustering(database, options.Cluster);
            silo.AddReleasesGrainStorage(database);
            silo.AddOperations();
        });

        // After the silo, so these start once grains can be called (and stop before the silo does).
        builder.Services.AddHostedService<CatalogRepair>();
        if (options.Demo)
        {
            builder.Services.AddHostedService<DemoRelease>(); // after the repair: it looks whether any release exists
        }

        builder.AddChatBot();
        builder.AddCommitStatuses();

        builder.Services.AddReleasesWeb(builder.Configuration);
        builder.AddOperations();

        var app = builder.Build();
        app.UseReleasesWeb();
        app.MapOperations();
        LogStartupNotes(app, options, database);
        return app;
    }

    /// <summary>
    /// The development login lets anyone sign in as anyone, so it only listens on loopback unless
    /// <c>Auth:AllowDevelopmentLogin=true</c> says otherwise.
    /// </summary>
    private static void EnsureDevelopmentLoginStaysLocal(IConfiguration configuration)
    {
        var auth = configuration.GetSection(AuthSettings.Section).Get<AuthSettings>() ?? new AuthSettings();
        if (!auth.UsesDevelopmentLogin || auth.AllowDevelopmentLogin)
        {
            return;
        }

        var urls = (configuration["urls"] ?? DefaultUrl).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var exposed = urls.Where(url => !IsLoopback(url)).ToList();
        if (exposed.Count > 0)
        {
            throw new InvalidOperationException(
                $"Refusing to start: the development login (no Auth:Keycloak:Issuer set) would listen on {string.Join(", ", exposed)}. " +
                "Configure Keycloak, listen on 127.0.0.1, or set Auth:AllowDevelopmentLogin=true.");
        }
    }

    private static bool IsLoopback(string url)
    {
        var host = url.Replace("://*", "://wildcard").Replace("://+", "://wildcard");
        if (!Uri.TryCreate(host, UriKind.Absolute, out var uri))
        {
            return false;
        }

        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }

    private static void LogStartupNotes(WebApplication app, ReleasesOptions options, IReleaseDatabase database)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OrleansReleases");
        logger.LogInformation("State is kept in {Database}", database.Description);
        if (app.Services.GetRequiredService<AuthSettings>().UsesDevelopmentLogin)
        {
            logger.LogWarning("Running WITHOUT single sign-on: the development login at /auth/login lets anyone sign in. Set Auth:Keycloak:Issuer for production.");
        }

        if (options.Demo)
        {
            var root = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<LocalGitOptions>>().Value.Root;
            logger.LogWarning("Running on DEMO DATA: sample repositories in {Root}, and on first start a sample release uat → master. Try: approve it, or create another.", root);
        }
        else if (!app.Services.GetRequiredService<RepositorySources>().Any)
        {
            logger.LogWarning("{Advice}", RepositorySources.HowToConfigure);
        }
    }
}
