using System.Net;
using System.Text.Json.Nodes;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Tests.Support;

namespace OrleansReleases.Tests.GitHub;

/// <summary>A push refreshes the pushed repo only, in each open release of its branch; a burst of pushes is compared once.</summary>
public sealed class PushRefreshTests(GitHubServiceFixture fixture) : IClassFixture<GitHubServiceFixture>
{
    private readonly ServiceHost _host = fixture.Host;

    /// <summary>Requests to the fake GitHub that compare (REST compare or pull-request lookup, or a GraphQL query): not commit statuses.</summary>
    private int ComparingRequests(string? repo = null) =>
        fixture.GitHub.RequestLog.Count(line =>
            (line.Contains("/graphql", StringComparison.Ordinal) && repo is null)
            || ((line.Contains("/compare/", StringComparison.Ordinal) || line.Contains("/pulls?", StringComparison.Ordinal))
                && (repo is null || line.Contains($"/repos/acme/{repo}/", StringComparison.Ordinal))));

    private static JsonNode Repo(JsonNode release, string name) =>
        release["repos"]!.AsArray().Single(r => (string?)r!["name"] == name)!;

    [Fact]
    public async Task A_push_compares_only_the_pushed_repo_in_each_open_release_of_its_branch()
    {
        const string branch = "rc-one-repo";
        for (var i = 0; i < 6; i++)
        {
            fixture.GitHub.AddRepo($"one-repo-{i}").Branch(branch).Commit(branch, "Alice Moreau", "alice");
        }

        using var alice = await _host.SignedInAsync("alice");
        var first = (string)(await alice.CreateReleaseAsync(branch, "master"))["id"]!;
        var second = (string)(await alice.CreateReleaseAsync(branch, "master"))["id"]!;
        var pushed = fixture.GitHub.Repo("one-repo-3").Commit(branch, "Mallory Quick", "mallory");
        var before = ComparingRequests();

        using var http = new HttpClient();
        var delivered = await fixture.GitHub.DeliverPushAsync(http, fixture.WebhookUrl, GitHubServiceFixture.WebhookSecret, "one-repo-3", branch);
        Assert.Equal(HttpStatusCode.Accepted, delivered.StatusCode);
        await _host.Service<BranchPushRefresher>().WhenIdleAsync();

        // Two releases hold the repo: a compare and a pull-request lookup each, nothing for the other repos.
        Assert.Equal(4, ComparingRequests() - before);
        foreach (var id in new[] { first, second })
        {
            var release = await alice.GetJsonAsync($"/api/releases/{id}");
            Assert.Equal(2, (int)Repo(release, "one-repo-3")["commitCount"]!);
            Assert.Equal(pushed.HeadOf(branch), (string?)Repo(release, "one-repo-3")["headSha"]);
            Assert.Equal(1, (int)Repo(release, "one-repo-2")["commitCount"]!);
            Assert.Equal(6, release["repos"]!.AsArray().Count);
            var history = (await alice.GetJsonAsync($"/api/releases/{id}/history")).AsArray();
            Assert.Equal("refreshed", (string?)history[^1]!["action"]);
            Assert.StartsWith("one-repo-3 compared again after a push", (string?)history[^1]!["detail"]);
        }
    }

    [Fact]
    public async Task A_burst_of_pushes_to_one_repo_is_compared_once_or_twice_not_once_per_push()
    {
        const string branch = "rc-burst";
        var repo = fixture.GitHub.AddRepo("burst-svc").Branch(branch).Commit(branch, "Alice Moreau", "alice");
        fixture.GitHub.AddRepo("burst-other").Branch(branch).Commit(branch, "Alice Moreau", "alice");
        using var alice = await _host.SignedInAsync("alice");
        var id = (string)(await alice.CreateReleaseAsync(branch, "master"))["id"]!;
        var before = ComparingRequests("burst-svc");
        var otherBefore = ComparingRequests("burst-other");

        using var http = new HttpClient();
        for (var i = 0; i < 8; i++)
        {
            repo.Commit(branch, "Mallory Quick", "mallory");
            await fixture.GitHub.DeliverPushAsync(http, fixture.WebhookUrl, GitHubServiceFixture.WebhookSecret, "burst-svc", branch);
        }

        await _host.Service<BranchPushRefresher>().WhenIdleAsync();

        // The pushes wait together for the window (and any that come while a comparison runs join the
        // next one): at most two comparisons of two requests, not eight.
        Assert.InRange(ComparingRequests("burst-svc") - before, 2, 4);
        Assert.Equal(otherBefore, ComparingRequests("burst-other"));
        var release = await alice.GetJsonAsync($"/api/releases/{id}");
        Assert.Equal(9, (int)Repo(release, "burst-svc")["commitCount"]!);
    }
}
