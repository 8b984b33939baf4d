using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrleansReleases.Fakes;
using OrleansReleases.Grains.Sources;
using OrleansReleases.Grains.Sources.GitHub;
using OrleansReleases.Grains.Storage;
using OrleansReleases.Tests.Support;

namespace OrleansReleases.Tests.GitHub;

/// <summary>
/// The GitHub source as the service registers it (same options reading, same HTTP pipeline, its
/// own SQLite file), pointed at a <see cref="FakeGitHub"/>, with every log line captured.
/// </summary>
public sealed class GitHubSourceHarness : IAsyncDisposable
{
    public const string Token = "ghp_SECRETtoken0123456789abcdefghijklmnop";

    private readonly TempFolder _folder;
    private readonly ServiceProvider _provider;

    private GitHubSourceHarness(TempFolder folder, FakeGitHub fake, ServiceProvider provider, CapturedLogs logs)
    {
        _folder = folder;
        Fake = fake;
        _provider = provider;
        Logs = logs;
    }

    public FakeGitHub Fake { get; }

    public CapturedLogs Logs { get; }

    public GitHubSource Source => _provider.GetRequiredService<GitHubSource>();

    public T Service<T>() where T : notnull => _provider.GetRequiredService<T>();

    /// <summary>
    /// Starts a fake organisation "acme" and the source in REST mode; <paramref name="settings"/> are
    /// extra <c>Releases:GitHub</c> settings (<c>GraphQLBatchSize</c> for GraphQL batching).
    /// </summary>
    public static async Task<GitHubSourceHarness> StartAsync(params (string Key, string Value)[] settings)
    {
        var folder = TempFolder.Create();
        var fake = await FakeGitHub.StartAsync("acme", Token);
        var values = new Dictionary<string, string?>
        {
            ["Organization"] = "acme",
            ["Token"] = Token,
            ["ApiUrl"] = fake.ApiUrl.ToString(),
            ["RetryDelay"] = "00:00:00.010",
            ["GraphQLBatchSize"] = "0", // REST unless a test asks for GraphQL batching
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var database = new SqliteDatabase(folder.PathOf("releases.db"));
        database.EnsureCreated();

        var logs = new CapturedLogs();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(database);
        services.AddSingleton<IReleaseDatabase>(database);
        services.AddGitHubSource(GitHubOptions.Read(configuration));
        return new GitHubSourceHarness(folder, fake, services.BuildServiceProvider(), logs);
    }

    public Task<SourceComparison> CompareAsync(string source = "uat", string dest = "master", IProgress<CompareProgress>? progress = null) =>
        Source.CompareAsync(source, dest, progress, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        await Fake.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
