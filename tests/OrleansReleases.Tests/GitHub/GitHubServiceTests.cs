using System.Net;
using System.Text.Json.Nodes;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Tests.Support;
using static OrleansReleases.Tests.Support.ApiClient;

namespace OrleansReleases.Tests.GitHub;

/// <summary>The real service over the fake GitHub (and local git beside it): create, refresh, and the webhook.</summary>
public sealed class GitHubServiceTests(GitHubServiceFixture fixture) : IClassFixture<GitHubServiceFixture>
{
    private readonly ServiceHost _host = fixture.Host;

    private static JsonNode Repo(JsonNode release, string name) =>
        release["repos"]!.AsArray().Single(r => (string?)r!["name"] == name)!;

    [Fact]
    public async Task A_release_covers_the_organisations_repos_beside_local_git_with_shared_names_prefixed()
    {
        using var alice = await _host.SignedInAsync("alice");

        var response = await alice.PostAsync("/api/releases", new { sourceBranch = "uat", destBranch = "master" });
        var text = await response.Content.ReadAsStringAsync();
        var release = await ExpectJsonAsync(response, HttpStatusCode.Created);

        Assert.Equal(["api-gateway", "github/auth-service", "local-tool", "local/auth-service"],
            release["repos"]!.AsArray().Select(r => (string)r!["name"]!));
        var auth = Repo(release, "github/auth-service");
        Assert.Equal(2, (int)auth["commitCount"]!);
        Assert.Equal(["Bob Okafor", "alice"], auth["contributors"]!.AsArray().Select(c => (string)c!));
        Assert.Equal(fixture.GitHub.Repo("auth-service").HeadOf("uat"), (string?)auth["headSha"]);
        Assert.Equal(1, (int)auth["prNumber"]!);
        Assert.Equal("https://github.com/acme/auth-service/pull/1", (string?)auth["prUrl"]);
        Assert.Null(Repo(release, "api-gateway")["prNumber"]);
        Assert.Equal(1, (int)Repo(release, "local/auth-service")["commitCount"]!);
        Assert.Empty(release["warnings"]!.AsArray());
        Assert.DoesNotContain(GitHubServiceFixture.Token, text);
    }

    [Fact]
    public async Task A_repo_that_keeps_failing_is_named_in_the_warnings_and_a_refresh_tries_it_again()
    {
        fixture.GitHub.AddRepo("flaky-svc").Branch("rc-flaky").Commit("rc-flaky", "Frank Silva", "frank");
        fixture.GitHub.Repo("api-gateway").Branch("rc-flaky", "uat");
        // Every try of the GraphQL query, then every try of the REST compare it falls back to.
        fixture.GitHub.FailNextGraphQl(4, HttpStatusCode.BadGateway);
        fixture.GitHub.Repo("flaky-svc").FailNext(4, HttpStatusCode.InternalServerError);
        using var alice = await _host.SignedInAsync("alice");

        var created = await alice.CreateReleaseAsync("rc-flaky", "master");

        Assert.Equal(["api-gateway"], created["repos"]!.AsArray().Select(r => (string)r!["name"]!));
        var warning = (string)Assert.Single(created["warnings"]!.AsArray())!;
        Assert.StartsWith("flaky-svc: ", warning);
        Assert.Contains("500", warning);
        Assert.DoesNotContain(GitHubServiceFixture.Token, warning);

        var refreshed = await ExpectJsonAsync(await alice.PostAsync($"/api/releases/{created["id"]}/refresh"), HttpStatusCode.OK);

        Assert.Equal(["api-gateway", "flaky-svc"], refreshed["repos"]!.AsArray().Select(r => (string)r!["name"]!));
        Assert.Empty(refreshed["warnings"]!.AsArray());
    }

    [Fact]
    public async Task A_signed_push_refreshes_the_releases_of_its_branch_and_dismisses_stale_approvals()
    {
        var gateway = fixture.GitHub.Repo("api-gateway").Branch("rc-push", "uat");
        using var alice = await _host.SignedInAsync("alice");
        using var dana = await _host.SignedInAsync("dana", DevLead);
        using var quinn = await _host.SignedInAsync("quinn", Qa);
        var id = (string)(await alice.CreateReleaseAsync("rc-push", "master"))["id"]!;
        await ExpectJsonAsync(await dana.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.OK);
        var approved = await ExpectJsonAsync(await quinn.PostAsync($"/api/releases/{id}/approve/qa"), HttpStatusCode.OK);
        Assert.Equal("approved", (string?)approved["status"]);

        gateway.Commit("rc-push", "Mallory Quick", "mallory");
        using var http = new HttpClient();
        var delivered = await fixture.GitHub.DeliverPushAsync(http, fixture.WebhookUrl, GitHubServiceFixture.WebhookSecret, "api-gateway", "rc-push");
        Assert.Equal(HttpStatusCode.Accepted, delivered.StatusCode);
        await _host.Service<BranchPushRefresher>().WhenIdleAsync();

        var release = await alice.GetJsonAsync($"/api/releases/{id}");
        Assert.Equal("pending", (string?)release["status"]);
        Assert.Null(release["devApproval"]);
        Assert.Null(release["qaApproval"]);
        Assert.Equal(2, (int)Repo(release, "api-gateway")["commitCount"]!);
        Assert.Equal(gateway.HeadOf("rc-push"), (string?)Repo(release, "api-gateway")["headSha"]);
        var history = (await alice.GetJsonAsync($"/api/releases/{id}/history")).AsArray();
        Assert.Equal("github-webhook", (string?)history[^1]!["actor"]);
        Assert.Equal("refreshed", (string?)history[^1]!["action"]);
    }

    [Theory]
    [InlineData("sha256=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("")]
    public async Task A_push_with_a_bad_or_missing_signature_is_refused_with_401_and_changes_nothing(string signature)
    {
        var gateway = fixture.GitHub.Repo("api-gateway").Branch($"rc-forged-{signature.Length}", "uat");
        var branch = $"rc-forged-{signature.Length}";
        using var alice = await _host.SignedInAsync("alice");
        var created = await alice.CreateReleaseAsync(branch, "master");
        gateway.Commit(branch, "Mallory Quick", "mallory");

        using var http = new HttpClient();
        var refused = await fixture.GitHub.DeliverPushAsync(http, fixture.WebhookUrl, signature.Length == 0 ? null : GitHubServiceFixture.WebhookSecret,
            "api-gateway", branch, signatureOverride: signature.Length == 0 ? null : signature);
        await ExpectProblemAsync(refused, HttpStatusCode.Unauthorized);
        await _host.Service<BranchPushRefresher>().WhenIdleAsync();

        var release = await alice.GetJsonAsync($"/api/releases/{created["id"]}");
        Assert.Equal((long)created["version"]!, (long)release["version"]!);
        Assert.Equal(1, (int)Repo(release, "api-gateway")["commitCount"]!);
    }

    [Fact]
    public async Task The_webhook_answers_GitHubs_ping_and_ignores_events_it_does_not_use()
    {
        using var http = new HttpClient();
        foreach (var (eventName, expected) in new[] { ("ping", HttpStatusCode.OK), ("issues", HttpStatusCode.Accepted) })
        {
            const string body = """{"zen":"Keep it logically awesome.","hook_id":1}""";
            var request = new HttpRequestMessage(HttpMethod.Post, fixture.WebhookUrl) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Add("X-GitHub-Event", eventName);
            request.Headers.Add("X-Hub-Signature-256", Fakes.FakeGitHub.Sign(GitHubServiceFixture.WebhookSecret, body));

            var response = await http.SendAsync(request);

            Assert.Equal(expected, response.StatusCode);
        }
    }
}
