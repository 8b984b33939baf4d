using System.Net;
using System.Text.Json.Nodes;
using OrleansReleases.Tests.Support;
using Xunit;
using static OrleansReleases.Tests.Support.ApiClient;
using static OrleansReleases.Tests.Support.ThreeLayerRepos;

namespace OrleansReleases.Tests.Insights;

/// <summary>
/// <c>/api/insights</c> over HTTP, on three real git repositories: a release deployed through its
/// pipeline reports (one failure and its retry) shows in every figure.
/// </summary>
public sealed class InsightsHttpTests() : ServiceOverRepos<ThreeLayerRepos>(ThreeLayerRepos.Create, repos => repos.Source)
{
    public const string Deployer = "release-deployer";

    /// <summary>An approved release deployed layer by layer; db-service fails once and is retried.</summary>
    public static async Task<string> DeployedReleaseAsync(ServiceHost host, ThreeLayerRepos repos)
    {
        var id = await ApprovedReleaseAsync(host);
        using var ci = await host.SignedInAsync("ci", Deployer);
        Task<HttpResponseMessage> Report(string repo, string state) =>
            ci.PostAsync($"/api/releases/{id}/repos/{repo}/deployment", new { sha = repos.HeadOf(repo), state, url = "https://ci.example.com/runs/1" });

        await ExpectJsonAsync(await Report(Db, "in_progress"), HttpStatusCode.OK);
        await ExpectJsonAsync(await Report(Db, "failure"), HttpStatusCode.OK);
        await ExpectJsonAsync(await Report(Db, "in_progress"), HttpStatusCode.OK);
        foreach (var repo in new[] { Db, Api, ThreeLayerRepos.Web })
        {
            await ExpectJsonAsync(await Report(repo, "success"), HttpStatusCode.OK);
        }

        return id;
    }

    [Fact]
    public async Task A_deployed_release_shows_in_every_figure_of_its_destination()
    {
        await DeployedReleaseAsync(Host, Repos);
        using var viewer = await Host.SignedInAsync("vic");

        var insights = await viewer.GetJsonAsync("/api/insights?dest=master");

        Assert.Equal("master", (string?)insights["dest"]);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.Equal(today.ToString("yyyy-MM-dd"), (string?)insights["to"]);
        Assert.Equal(today.AddDays(-89).ToString("yyyy-MM-dd"), (string?)insights["from"]);
        Assert.Equal(1, (int)insights["deploymentFrequency"]!["total"]!);
        Assert.Equal(1, insights["deploymentFrequency"]!["weeks"]!.AsArray().Sum(w => (int)w!["count"]!));
        Assert.Matches(@"^\d{4}-W\d{2}$", (string?)insights["deploymentFrequency"]!["weeks"]![0]!["week"]);
        var lead = insights["leadTimeForChanges"]!;
        Assert.True((int)lead["commits"]! >= 3, lead.ToJsonString()); // every commit of the three repos, from the commit lists
        Assert.NotNull((double?)lead["medianHours"]);
        Assert.Equal(1, (int)insights["changeFailureRate"]!["failed"]!);
        Assert.Equal(1.0, (double)insights["changeFailureRate"]!["rate"]!);
        Assert.Equal(1, (int)insights["timeToRestore"]!["restores"]!);
        Assert.Equal(0, (int)insights["timeToRestore"]!["unrestored"]!);
        var gate = insights["gate"]!;
        Assert.Equal(1, (int)gate["createdToApproved"]!["count"]!);
        Assert.Equal(1, (int)gate["approvedToDeployed"]!["count"]!);
        Assert.Equal(2, (int)gate["approvalsGiven"]!);
        Assert.Equal(0, (int)gate["approvalsDismissed"]!);

        var elsewhere = await viewer.GetJsonAsync("/api/insights?dest=production");
        Assert.Equal(0, (int)elsewhere["deploymentFrequency"]!["total"]!);
        var before = await viewer.GetJsonAsync("/api/insights?from=2020-01-01&to=2020-01-31");
        Assert.Equal(0, (int)before["deploymentFrequency"]!["total"]!);
        Assert.Null(before["dest"]);
    }

    [Theory]
    [InlineData("from=2026-13-01")]
    [InlineData("to=yesterday")]
    [InlineData("from=2026-11-24T10:00:00Z")]
    [InlineData("from=2026-11-30&to=2026-11-01")]
    [InlineData("from=2020-01-01&to=2026-01-01")]
    [InlineData("dest=..bad")]
    public async Task Bad_dates_a_reversed_or_too_long_range_and_a_bad_branch_are_400(string query)
    {
        using var viewer = await Host.SignedInAsync("vic");
        await ExpectProblemAsync(await viewer.GetAsync($"/api/insights?{query}"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Insights_need_sign_in()
    {
        using var anonymous = Host.Client();
        await ExpectProblemAsync(await anonymous.GetAsync("/api/insights"), HttpStatusCode.Unauthorized);
    }
}
