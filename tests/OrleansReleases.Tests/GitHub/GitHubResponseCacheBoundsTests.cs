using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Octokit.Caching;
using Octokit.Internal;
using OrleansReleases.Grains.Sources.GitHub;
using OrleansReleases.Grains.Storage;
using OrleansReleases.Tests.Support;

namespace OrleansReleases.Tests.GitHub;

/// <summary>The GitHub response cache does not grow without bound: unused answers age out, and a cap holds.</summary>
public sealed class GitHubResponseCacheBoundsTests : IDisposable
{
    private readonly TempFolder _folder = TempFolder.Create();
    private readonly ManualClock _clock = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    [Fact]
    public async Task Answers_unused_for_a_week_are_pruned_and_used_ones_are_kept()
    {
        var database = Database();
        await using var cache = Cache(database, maxEntries: 1000);
        await cache.SetAsync(Request("repos/acme/used"), Answer());
        await cache.SetAsync(Request("repos/acme/forgotten"), Answer());
        await cache.FlushAsync();

        _clock.Advance(TimeSpan.FromDays(5));
        Assert.NotNull(await cache.GetAsync(Request("repos/acme/used"))); // asked again: its age starts over
        await cache.FlushAsync();
        _clock.Advance(TimeSpan.FromDays(3));

        Assert.Equal(1, await cache.PruneAsync());
        Assert.NotNull(await cache.GetAsync(Request("repos/acme/used")));
        Assert.Null(await cache.GetAsync(Request("repos/acme/forgotten")));
    }

    [Fact]
    public async Task The_cache_holds_at_most_its_cap_keeping_the_most_recently_used()
    {
        var database = Database();
        await using var cache = Cache(database, maxEntries: 10);
        for (var i = 0; i < 30; i++)
        {
            await cache.SetAsync(Request($"repos/acme/r{i}"), Answer());
            await cache.FlushAsync();
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        await cache.PruneAsync();

        Assert.Equal(10L, Count(database));
        Assert.NotNull(await cache.GetAsync(Request("repos/acme/r29")));
        Assert.Null(await cache.GetAsync(Request("repos/acme/r0")));
    }

    private SqliteDatabase Database()
    {
        var database = new SqliteDatabase(_folder.PathOf("releases.db"));
        database.EnsureCreated();
        return database;
    }

    private GitHubResponseCache Cache(IReleaseDatabase database, int maxEntries) =>
        new(database, NullLogger<GitHubResponseCache>.Instance,
            Options.Create(new GitHubCacheOptions { CacheMaxEntries = maxEntries, CachePruneEvery = TimeSpan.FromDays(365) }), _clock);

    private static long Count(IReleaseDatabase database)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM github_response_cache;";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Octokit.Internal.Request Request(string endpoint) =>
        new() { BaseAddress = new Uri("https://api.github.com/"), Endpoint = new Uri(endpoint, UriKind.Relative) };

    private static CachedResponse.V1 Answer() =>
        new("{}", new Dictionary<string, string> { ["ETag"] = "\"abc\"" }, null, HttpStatusCode.OK, "application/json");
}
