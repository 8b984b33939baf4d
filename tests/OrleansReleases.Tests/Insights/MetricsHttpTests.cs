using System.Net;
using OrleansReleases.Tests.Support;
using Xunit;
using static OrleansReleases.Tests.Support.ApiClient;

namespace OrleansReleases.Tests.Insights;

/// <summary>
/// Runs alone: every service a test starts in this process names its meter the same, and the
/// exporter of one service hears the instruments of all of them (one service a process in production).
/// </summary>
[CollectionDefinition(nameof(MetricsHttpTests), DisableParallelization = true)]
public sealed class MetricsRunAlone;

/// <summary><c>/metrics</c>: off by default, loopback only (or an admin's bearer token) when on, with the service's own instruments.</summary>
[Collection(nameof(MetricsHttpTests))]
public sealed class MetricsHttpTests : IDisposable
{
    private readonly TempFolder _folder = TempFolder.Create();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Metrics_are_off_by_default_and_answer_404()
    {
        var repos = TwoChangedRepos.Create(_folder);
        await using var host = await ServiceHost.StartAsync(_folder.Folder("data"), repos.Source);
        using var client = host.Client();
        await ExpectProblemAsync(await client.GetAsync("/metrics"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task When_on_loopback_reads_the_services_instruments_after_a_release_is_created()
    {
        var repos = TwoChangedRepos.Create(_folder);
        await using var host = await ServiceHost.StartAsync(_folder.Folder("data"), repos.Source, "Releases:Metrics:Enabled=true");
        using var dana = await host.SignedInAsync("dana", DevLead);
        var id = (string)(await dana.CreateReleaseAsync())["id"]!;
        await ExpectJsonAsync(await dana.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.OK);

        using var scraper = host.Client(); // not signed in: loopback is enough
        var response = await scraper.GetAsync("/metrics"); // the first scrape: nothing cached from before the release
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Matches(@"releases_releases(_\w+)?\{[^}]*status=""pending""[^}]*\} 1", text);
        Assert.Contains("releases_comparisons", text);
        Assert.Contains("releases_comparison_duration", text);
        Assert.Contains("releases_approvals_given", text);
        Assert.Contains("releases_outbox_backlog", text);
        Assert.Contains("http_server_request_duration", text); // ASP.NET Core's meters
    }

    [Fact]
    public async Task When_on_a_caller_from_elsewhere_is_refused_even_signed_in_as_admin()
    {
        var repos = TwoChangedRepos.Create(_folder);
        await using var host = await ServiceHost.StartAsync(_folder.Folder("data"), repos.Source, "Releases:Metrics:Enabled=true",
            "Releases:BehindProxy=true", "Auth:AllowDevelopmentLogin=true");
        using var admin = await host.SignedInAsync("ada", "release-admin");
        var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        var refused = await admin.Http.SendAsync(request);
        await ExpectProblemAsync(refused, HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/metrics")).StatusCode);
    }
}
