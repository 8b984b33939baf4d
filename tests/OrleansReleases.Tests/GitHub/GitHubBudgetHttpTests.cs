using System.Net;
using Microsoft.Data.Sqlite;
using OrleansReleases.Fakes;
using OrleansReleases.Tests.Support;
using static OrleansReleases.Tests.Support.ApiClient;

namespace OrleansReleases.Tests.GitHub;

/// <summary>
/// Through REST only, a comparison that cannot fit what is left of GitHub's rate limit is refused
/// before it starts (409 naming the numbers); one that fits goes ahead, and repos whose answers are
/// kept with ETags count as free.
/// </summary>
public sealed class GitHubBudgetHttpTests : IAsyncLifetime
{
    private const int Repos = 40;
    private readonly TempFolder _folder = TempFolder.Create();
    private FakeGitHub _github = null!;
    private ServiceHost _host = null!;

    public async Task InitializeAsync()
    {
        _github = await FakeGitHub.StartAsync("acme", GitHubSourceHarness.Token);
        for (var i = 0; i < Repos; i++)
        {
            _github.AddRepo($"svc-{i:00}").Branch("uat").Commit("uat", "Alice", "alice");
        }

        _host = await ServiceHost.StartAsync(_folder.Folder("data"),
            "Releases:GitHub:Organization=acme",
            $"Releases:GitHub:Token={GitHubSourceHarness.Token}",
            $"Releases:GitHub:ApiUrl={_github.ApiUrl}",
            "Releases:GitHub:GraphQLBatchSize=0",
            "Releases:GitHub:CommitStatuses=false",
            "Releases:GitHub:RetryDelay=00:00:00.010");
    }

    [Fact]
    public async Task A_comparison_that_does_not_fit_is_refused_before_it_starts_and_one_that_fits_goes_ahead()
    {
        using var alice = await _host.SignedInAsync("alice");
        _github.RateLimitReset = DateTimeOffset.UtcNow.AddMinutes(30);
        _github.RateLimitRemaining = 51; // the repo list takes one: 50 left for 40 repos × 3 requests

        var problem = await ExpectProblemAsync(await alice.PostAsync("/api/releases", new { sourceBranch = "uat", destBranch = "master" }),
            HttpStatusCode.Conflict);
        var detail = (string)problem["detail"]!;
        Assert.Contains("needs about 120 requests, 50 remain until " + _github.RateLimitReset.UtcDateTime.ToString("HH:mm") + " UTC", detail);
        Assert.Contains("it would take about ", detail);
        Assert.Contains("switch on GraphQL batching (Releases:GitHub:GraphQLBatchSize) or wait", detail);
        Assert.DoesNotContain(_github.RequestLog, line => line.Contains("/compare/", StringComparison.Ordinal) || line.Contains("/git/ref/", StringComparison.Ordinal));
        Assert.Contains(_github.RequestLog, line => line.StartsWith("GET /rate_limit", StringComparison.Ordinal));
        Assert.Equal(50, _github.RateLimitRemaining); // reading the rate limit cost nothing

        _github.RateLimitRemaining = 5000;
        var created = await alice.CreateReleaseAsync();
        Assert.Equal(Repos, created["repos"]!.AsArray().Count);

        // Every repo's answers are now kept with ETags: unchanged, they cost 304s, so a refresh fits in little.
        _github.RateLimitRemaining = 10;
        await ExpectJsonAsync(await alice.PostAsync($"/api/releases/{created["id"]}/refresh"), HttpStatusCode.OK);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _github.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
