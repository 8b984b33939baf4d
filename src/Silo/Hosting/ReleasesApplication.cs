using OrleansReleases.Grains;
using OrleansReleases.Grains.Freeze;
using OrleansReleases.Grains.Gate;
using OrleansReleases.Grains.Insights;
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

    /// <summary>How a configuration the service will not run with is reported: the executable prints it and exits with 1.</summary>
    public const string StartRefusal = "Refusing to start";

    /// <param name="configure">Tests only: a last change to the services before the host is built (a clock, for one).</param>
    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
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
        DevelopmentLoginGuard.EnsureStaysLocal(builder.Configuration, options);
        DevelopmentLoginGuard.AddStartedCheck(builder.Services, builder.Configuration);

        var database = builder.AddReleasesStorage(options);
        await builder.AddRepositorySourcesAsync(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ReleaseService>();
        builder.Services.Configure<PushRefreshOptions>(builder.Configuration.GetSection(PushRefreshOptions.Section));
        builder.Services.AddFreezes(builder.Configuration);
        builder.Services.AddWhatShips();
        builder.Services.AddInsights();

        builder.UseOrleans(silo =>
        {
            silo.AddReleasesClustering(database, options.Cluster);
            silo.AddReleasesGrainStorage(database);
            silo.AddOperations();
            silo.Configure<Orleans.Configuration.GrainCollectionOptions>(collection =>
                ReleaseGrainCollection.Configure(collection, options.IdleReleaseAfter));
        });

        // After the silo, so these start once grains can be called (and stop before the silo does).
        builder.Services.AddHostedService<CatalogRepair>();
        if (builder.Services.Any(d => d.ServiceType == typeof(Grains.Sources.GitHub.GitHubRequestGate)))
        {
            builder.Services.AddHostedService<Grains.Sources.GitHub.GitHubClusterShare>(); // the cluster's silos share Parallelism
        }

        builder.Services.AddReleaseGate(); // its start-up fill runs after the repair
        if (options.Demo)
        {
            builder.Services.AddHostedService<DemoRelease>(); // after the repair: it looks whether any release exists
        }

        builder.AddChatBot();
        builder.AddCommitStatuses();

        builder.Services.AddReleasesWeb(builder.Configuration);
        builder.AddOperations();
        configure?.Invoke(builder);
        builder.AddReleasesMetrics();

        var app = builder.Build();
        app.UseReleasesWeb();
        app.MapOperations();
        app.MapReleasesMetrics();
        LogStartupNotes(app, options, database);
        return app;
    }

    private static void LogStartupNotes(WebApplication app, ReleasesOptions options, IReleaseDatabase database)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OrleansReleases");
        logger.LogInformation("State is kept in {Database}", database.Description);
        if (app.Services.GetRequiredService<AuthSettings>().UsesDevelopmentLogin)
        {
            logger.LogWarning("Running WITHOUT single sign-on: the development login at /auth/login lets anyone sign in. Set Auth:Keycloak:Issuer for production.");
        }

        var cluster = options.Cluster;
        if (cluster.GatewayPort is not null)
        {
            logger.LogWarning("Releases:Cluster:GatewayPort is ignored: the service has no Orleans gateway (nothing outside the process calls grains).");
        }

        if (database is not SqliteDatabase && string.IsNullOrWhiteSpace(cluster.Certificate))
        {
            logger.LogWarning("Silos talk to each other without TLS on port {SiloPort}: firewall it so only the other silos reach it, or set Releases:Cluster:Certificate.", cluster.SiloPort);
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
