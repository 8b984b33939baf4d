using System.Net;
using System.Text.Json.Nodes;
using OrleansReleases.Tests.Support;
using static OrleansReleases.Tests.Support.ApiClient;
using static OrleansReleases.Tests.CommitStatuses.CommitStatusScenario;

namespace OrleansReleases.Tests.CommitStatuses;

/// <summary>
/// The real service over the fake GitHub: the <c>release-gate/master</c> status of every GitHub repo
/// follows the release through its life, so branch protection can hold the merge until sign-off.
/// </summary>
public sealed class CommitStatusServiceTests
{
    [Fact]
    public async Task The_gate_status_follows_the_release_from_create_to_deploy()
    {
        await using var scenario = await CommitStatusScenario.StartAsync();
        await using var host = await scenario.StartServiceAsync();
        using var alice = await host.SignedInAsync("alice", "release-deployer");
        using var dana = await host.SignedInAsync("dana", DevLead);
        using var quinn = await host.SignedInAsync("quinn", Qa);
        var auth = scenario.HeadOf("auth-service");
        var gateway = scenario.HeadOf("api-gateway");

        // Created: every GitHub repo's head waits for sign-off, linked to the release's page.
        var created = await alice.CreateReleaseAsync("uat", "master");
        var id = (string)created["id"]!;
        Assert.Equal("github", (string?)Repo(created, "github/auth-service")["source"]);
        Assert.Equal("local", (string?)Repo(created, "local-tool")["source"]);
        await scenario.WaitForAsync("auth-service", auth, "pending");
        await scenario.WaitForAsync("api-gateway", gateway, "pending");
        var gate = await scenario.GateAsync("auth-service", auth, "pending");
        Assert.Equal($"{BaseUrl}/releases/{id}", (string?)gate["target_url"]);
        Assert.Equal($"waiting for Dev and QA sign-off in release {id}", (string?)gate["description"]);
        Assert.Equal("pending", (string?)(await scenario.GateAsync("auth-service", "uat", "pending"))["state"]); // by branch name too

        // Excluded: not cleared to ship.
        await ExpectJsonAsync(await alice.PatchAsync($"/api/releases/{id}/repos/api-gateway", new { excluded = true }), HttpStatusCode.OK);
        await scenario.WaitForAsync("api-gateway", gateway, "failure");
        Assert.Equal($"not cleared to ship in release {id}", (string?)(await scenario.GateAsync("api-gateway", gateway, "failure"))["description"]);

        // Both sign-offs: success.
        await ExpectJsonAsync(await dana.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.OK);
        await scenario.WaitForAsync("auth-service", auth, "pending", $"waiting for QA sign-off in release {id}");
        await ExpectJsonAsync(await quinn.PostAsync($"/api/releases/{id}/approve/qa"), HttpStatusCode.OK);
        await scenario.WaitForAsync("auth-service", auth, "success");
        await scenario.GateAsync("auth-service", auth, "success");

        // A new commit, compared again: the approvals are dismissed and the new head waits.
        scenario.GitHub.Repo("auth-service").Commit("uat", "Mallory Quick", "mallory");
        var newAuth = scenario.HeadOf("auth-service");
        var refreshed = await ExpectJsonAsync(await alice.PostAsync($"/api/releases/{id}/refresh"), HttpStatusCode.OK);
        Assert.Equal("pending", (string?)refreshed["status"]);
        await scenario.WaitForAsync("auth-service", newAuth, "pending", $"waiting for Dev and QA sign-off in release {id}");
        await scenario.GateAsync("auth-service", "uat", "pending");

        // Signed off again; a withdrawn sign-off makes it wait again.
        await ExpectJsonAsync(await dana.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.OK);
        await ExpectJsonAsync(await quinn.PostAsync($"/api/releases/{id}/approve/qa"), HttpStatusCode.OK);
        await scenario.WaitForAsync("auth-service", newAuth, "success");
        await ExpectJsonAsync(await quinn.DeleteAsync($"/api/releases/{id}/approve/qa"), HttpStatusCode.OK);
        await scenario.WaitForAsync("auth-service", newAuth, "pending", $"waiting for QA sign-off in release {id}");

        // Notes cost GitHub nothing; an unchanged status is not set again.
        var before = scenario.GitHub.StatusesCreated;
        await ExpectJsonAsync(await alice.PatchAsync($"/api/releases/{id}", new { notes = "Deploy auth first" }), HttpStatusCode.OK);
        await ExpectJsonAsync(await quinn.PostAsync($"/api/releases/{id}/approve/qa"), HttpStatusCode.OK);
        await scenario.WaitForAsync("auth-service", newAuth, "success");
        Assert.Equal(before + 1, scenario.GitHub.StatusesCreated); // auth-service only: api-gateway stays failure

        // Deployed: success stays.
        var deployed = await ExpectJsonAsync(await alice.PostAsync($"/api/releases/{id}/deploy"), HttpStatusCode.OK);
        await scenario.WaitForAsync("auth-service", newAuth, "success", $"deployed in release {id}");
        await scenario.GateAsync("auth-service", newAuth, "success");
        await scenario.GateAsync("api-gateway", gateway, "failure");
        await WaitUntilDeliveredAsync(scenario, id, (long)deployed["version"]!);

        // Local repos get no status, and GitHub was only asked about its own repos.
        Assert.DoesNotContain(scenario.GitHub.RequestLog, line => line.Contains("/repos/acme/local-tool", StringComparison.Ordinal));
        Assert.All(scenario.GitHub.RequestLog.Where(line => line.StartsWith("POST /repos/", StringComparison.Ordinal)),
            line => Assert.EndsWith("→ 201", line));
    }

    [Fact]
    public async Task Statuses_refused_by_a_failing_GitHub_are_set_once_it_answers_again()
    {
        await using var scenario = await CommitStatusScenario.StartAsync();
        await using var host = await scenario.StartServiceAsync();
        using var alice = await host.SignedInAsync("alice");
        // More failures than the HTTP retries of one request absorb: the delivery fails and is tried again later.
        scenario.GitHub.FailNextStatusPosts(10, HttpStatusCode.BadGateway);

        var id = (string)(await alice.CreateReleaseAsync("uat", "master"))["id"]!;

        await scenario.WaitForAsync("auth-service", scenario.HeadOf("auth-service"), "pending");
        await scenario.WaitForAsync("api-gateway", scenario.HeadOf("api-gateway"), "pending");
        await WaitUntilDeliveredAsync(scenario, id, 1);
    }

    [Fact]
    public async Task A_status_GitHub_keeps_refusing_with_a_4xx_is_given_up_after_a_few_tries()
    {
        await using var scenario = await CommitStatusScenario.StartAsync();
        scenario.GitHub.Repo("auth-service").DeleteBranch("uat");
        await using var host = await scenario.StartServiceAsync();
        using var alice = await host.SignedInAsync("alice");
        scenario.GitHub.FailNextStatusPosts(100, HttpStatusCode.NotFound);

        var id = (string)(await alice.CreateReleaseAsync("uat", "master"))["id"]!;

        await WaitUntilDeliveredAsync(scenario, id, 1);
        var posts = scenario.GitHub.RequestLog.Count(line => line.StartsWith("POST /repos/acme/api-gateway/statuses/", StringComparison.Ordinal));
        Assert.Equal(OrleansReleases.Grains.CommitStatuses.CommitStatusGrain.MaxAttempts, posts);
        Assert.Empty(scenario.GitHub.Statuses("api-gateway", scenario.HeadOf("api-gateway")));
    }

    [Fact]
    public async Task With_commit_statuses_off_GitHub_hears_nothing()
    {
        await using var scenario = await CommitStatusScenario.StartAsync();
        await using var host = await scenario.StartServiceAsync("Releases:GitHub:CommitStatuses=false");
        using var alice = await host.SignedInAsync("alice");

        var id = (string)(await alice.CreateReleaseAsync("uat", "master"))["id"]!;

        Assert.Null(scenario.OutboxRow(id));
        Assert.DoesNotContain(scenario.GitHub.RequestLog, line => line.StartsWith("POST /repos/", StringComparison.Ordinal));
    }

    private static JsonNode Repo(JsonNode release, string name) =>
        release["repos"]!.AsArray().Single(r => (string?)r!["name"] == name)!;

    /// <summary>Polls the outbox (bounded: 20 s) until it says GitHub has heard of <paramref name="version"/>.</summary>
    internal static async Task WaitUntilDeliveredAsync(CommitStatusScenario scenario, string id, long version)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (scenario.OutboxRow(id) is not { } row || row.Delivered < version)
        {
            Assert.True(DateTime.UtcNow < deadline, $"GitHub did not hear of version {version} of {id} in time: {scenario.OutboxRow(id)}");
            await Task.Delay(25);
        }
    }
}
