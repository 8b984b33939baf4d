using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OrleansReleases.Silo.Hosting;

namespace OrleansReleases.Tests.Support;

/// <summary>
/// The real service (silo, storage, web host) started in the test process exactly as the
/// executable builds it, listening on a free loopback port with its SQLite file in
/// <see cref="DataFolder"/>.
/// </summary>
public sealed class ServiceHost : IAsyncDisposable
{
    private ServiceHost(WebApplication app, string dataFolder)
    {
        App = app;
        DataFolder = dataFolder;
        BaseAddress = new Uri(app.Urls.First());
    }

    public WebApplication App { get; }

    public string DataFolder { get; }

    public Uri BaseAddress { get; }

    public string DatabasePath => Path.Combine(DataFolder, "releases.db");

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>Starts the service; <paramref name="settings"/> are extra <c>Key=value</c> settings.</summary>
    public static Task<ServiceHost> StartAsync(string dataFolder, params string[] settings) => StartAsync(dataFolder, null, null, settings);

    /// <summary>Starts the service with <paramref name="logs"/> hearing every log message from the start.</summary>
    public static Task<ServiceHost> StartAsync(string dataFolder, Microsoft.Extensions.Logging.ILoggerProvider? logs, params string[] settings) =>
        StartAsync(dataFolder, logs, null, settings);

    /// <summary>Starts the service, with <paramref name="configure"/> changing its services before it is built (a clock, for one).</summary>
    public static Task<ServiceHost> StartAsync(string dataFolder, Action<WebApplicationBuilder>? configure, params string[] settings) =>
        StartAsync(dataFolder, null, configure, settings);

    private static async Task<ServiceHost> StartAsync(string dataFolder, Microsoft.Extensions.Logging.ILoggerProvider? logs,
        Action<WebApplicationBuilder>? configure, params string[] settings)
    {
        var args = new List<string>
        {
            "--urls=http://127.0.0.1:0",
            $"--Releases:DatabasePath={Path.Combine(dataFolder, "releases.db")}",
            $"--Releases:Cluster:SiloPort={FreePort.Next()}",
            "--Logging:LogLevel:Default=Warning",
        };
        args.AddRange(settings.Select(setting => setting.StartsWith("--", StringComparison.Ordinal) ? setting : $"--{setting}"));

        var app = await ReleasesApplication.BuildAsync([.. args], configure);
        if (logs is not null)
        {
            app.Services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().AddProvider(logs);
        }

        await app.StartAsync();
        return new ServiceHost(app, dataFolder);
    }

    /// <summary>A client with its own cookie session; sign it in with <see cref="ApiClient.SignInAsync"/>.</summary>
    public ApiClient Client() => new(BaseAddress);

    /// <summary>A client already signed in through the development login.</summary>
    public async Task<ApiClient> SignedInAsync(string user, params string[] roles)
    {
        var client = Client();
        await client.SignInAsync(user, roles);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
