using System.Net;
using System.Text.Json.Nodes;
using OrleansReleases.Tests.Support;
using static OrleansReleases.Tests.Support.ApiClient;

namespace OrleansReleases.Tests.Http;

/// <summary>A release driven through the HTTP API from creation to deployment, as docs/api.md describes it.</summary>
public sealed class ReleaseWorkflowTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private readonly ServiceHost _host = fixture.Host;

    private static JsonNode Repo(JsonNode release, string name) =>
        release["repos"]!.AsArray().Single(r => (string?)r!["name"] == name)!;

    private static string[][] Layers(JsonNode release) =>
        release["deployOrder"]!["layers"]!.AsArray().Select(l => l!.AsArray().Select(n => (string)n!).ToArray()).ToArray();

    [Fact]
    public async Task Creating_a_release_records_every_changed_repo_with_commits_contributors_and_head()
    {
        using var alice = await _host.SignedInAsync("alice");

        var response = await alice.PostAsync("/api/releases", new { sourceBranch = "uat", destBranch = "master", notes = "Sprint 47" });
        var release = await ExpectJsonAsync(response, HttpStatusCode.Created);

        Assert.Equal($"/api/releases/{release["id"]}", response.Headers.Location?.ToString());
        Assert.Equal("pending", (string?)release["status"]);
        Assert.Equal("alice", (string?)release["createdBy"]);
        Assert.Equal("Sprint 47", (string?)release["notes"]);
        Assert.Equal(1, (int)release["version"]!);
        Assert.Equal(["api-gateway", "auth-service", "user-service"],
            release["repos"]!.AsArray().Select(r => (string)r!["name"]!));

        var auth = Repo(release, "auth-service");
        Assert.Equal(2, (int)auth["commitCount"]!);
        Assert.Equal(["Alice", "Bob"], auth["contributors"]!.AsArray().Select(c => (string)c!));
        Assert.Equal(fixture.Auth.HeadOf("uat"), (string?)auth["headSha"]);
        Assert.False((bool)auth["excluded"]!);
        Assert.Null(auth["prNumber"]);

        var users = Repo(release, "user-service"); // a bare repository
        Assert.Equal(3, (int)users["commitCount"]!);
        Assert.Equal(["Bob", "Dave"], users["contributors"]!.AsArray().Select(c => (string)c!));
        Assert.Empty(release["warnings"]!.AsArray());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$", (string)release["createdAt"]!);
    }

    [Fact]
    public async Task Branches_without_changes_answer_422()
    {
        using var alice = await _host.SignedInAsync("alice");

        var problem = await ExpectProblemAsync(
            await alice.PostAsync("/api/releases", new { sourceBranch = "master", destBranch = "uat" }),
            HttpStatusCode.UnprocessableEntity);

        Assert.Contains("No repo has commits", (string?)problem["detail"]);
    }

    [Fact]
    public async Task Dependencies_give_layers_and_a_cycle_is_reported_by_the_repos_in_it()
    {
        using var alice = await _host.SignedInAsync("alice");
        var id = (string)(await alice.CreateReleaseAsync())["id"]!;

        await ExpectJsonAsync(await alice.PatchAsync($"/api/releases/{id}/repos/api-gateway", new { dependsOn = new[] { "auth-service" } }), HttpStatusCode.OK);
        var layered = await ExpectJsonAsync(await alice.PatchAsync($"/api/releases/{id}/repos/user-service", new { dependsOn = new[] { "api-gateway" } }), HttpStatusCode.OK);
        Assert.Equal([["auth-service"], ["api-gateway"], ["user-service"]], Layers(layered));
        Assert.Null((string?)layered["deployOrder"]!["error"]);

        var cyclic = await ExpectJsonAsync(await alice.PatchAsync($"/api/releases/{id}/repos/auth-service", new { dependsOn = new[] { "user-service" } }), HttpStatusCode.OK);
        var error = (string)cyclic["deployOrder"]!["error"]!;
        Assert.Contains("auth-service", error);
        Assert.Contains("api-gateway", error);
        Assert.Contains("user-service", error);
        Assert.Empty(Layers(cyclic));

        using var dana = await _host.SignedInAsync("dana", DevLead);
        var refused = await ExpectProblemAsync(await dana.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.Conflict);
        Assert.Contains("cycle", (string?)refused["detail"]);
    }

    [Fact]
    public async Task Excluding_a_repo_takes_it_out_of_the_deploy_order_and_the_counts()
    {
        using var alice = await _host.SignedInAsync("alice");
        var id = (string)(await alice.CreateReleaseAsync())["id"]!;
        await alice.PatchAsync($"/api/releases/{id}/repos/user-service", new { dependsOn = new[] { "auth-service" } });

        var release = await ExpectJsonAsync(await alice.PatchAsync($"/api/releases/{id}/repos/auth-service", new { excluded = true }), HttpStatusCode.OK);

        Assert.True((bool)Repo(release, "auth-service")["excluded"]!);
        Assert.Equal([["api-gateway", "user-service"]], Layers(release)); // a dependency on an excluded repo counts as met
        var summary = (await alice.GetJsonAsync($"/api/releases?search={id}"))["items"]!.AsArray().Single()!;
        Assert.Equal(2, (int)summary["repoCount"]!);
        Assert.Equal(4, (int)summary["commitCount"]!);
    }

    [Fact]
    public async Task Two_people_approve_then_it_deploys_and_freezes()
    {
        using var alice = await _host.SignedInAsync("alice", "release-deployer");
        using var dana = await _host.SignedInAsync("dana", DevLead);
        using var quinn = await _host.SignedInAsync("quinn", Qa);
        var id = (string)(await alice.CreateReleaseAsync())["id"]!;

        await ExpectProblemAsync(await quinn.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.Forbidden);
        await ExpectProblemAsync(await alice.PostAsync($"/api/releases/{id}/deploy"), HttpStatusCode.Conflict);

        var devApproved = await ExpectJsonAsync(await dana.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.OK);
        Assert.Equal("dana", (string?)devApproved["devApproval"]!["by"]);
        Assert.Equal("pending", (string?)devApproved["status"]);

        var approved = await ExpectJsonAsync(await quinn.PostAsync($"/api/releases/{id}/approve/qa"), HttpStatusCode.OK);
        Assert.Equal("approved", (string?)approved["status"]);
        Assert.Equal("quinn", (string?)approved["qaApproval"]!["by"]);

        var deployed = await ExpectJsonAsync(await alice.PostAsync($"/api/releases/{id}/deploy"), HttpStatusCode.OK);
        Assert.Equal("deployed", (string?)deployed["status"]);

        await ExpectProblemAsync(await alice.PatchAsync($"/api/releases/{id}", new { notes = "too late" }), HttpStatusCode.Conflict);
        await ExpectProblemAsync(await dana.DeleteAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.Conflict);
        await ExpectProblemAsync(await alice.PostAsync($"/api/releases/{id}/refresh"), HttpStatusCode.Conflict);
        await ExpectProblemAsync(await alice.PatchAsync($"/api/releases/{id}/repos/api-gateway", new { excluded = true }), HttpStatusCode.Conflict);
        Assert.Equal((int)deployed["version"]!, (int)(await alice.GetJsonAsync($"/api/releases/{id}"))["version"]!);
    }

    [Fact]
    public async Task One_person_cannot_hold_both_approvals_and_withdrawing_makes_it_pending_again()
    {
        using var both = await _host.SignedInAsync("morgan", DevLead, Qa);
        using var quinn = await _host.SignedInAsync("quinn", Qa);
        var id = (string)(await both.CreateReleaseAsync())["id"]!;

        await ExpectJsonAsync(await both.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.OK);
        var refused = await ExpectProblemAsync(await both.PostAsync($"/api/releases/{id}/approve/qa"), HttpStatusCode.Conflict);
        Assert.Contains("both approvals", (string?)refused["detail"]);

        var approved = await ExpectJsonAsync(await quinn.PostAsync($"/api/releases/{id}/approve/qa"), HttpStatusCode.OK);
        Assert.Equal("approved", (string?)approved["status"]);

        var withdrawn = await ExpectJsonAsync(await quinn.DeleteAsync($"/api/releases/{id}/approve/qa"), HttpStatusCode.OK);
        Assert.Equal("pending", (string?)withdrawn["status"]);
        Assert.Null(withdrawn["qaApproval"]);
        Assert.Equal("morgan", (string?)withdrawn["devApproval"]!["by"]);
    }

    [Fact]
    public async Task Notes_edits_with_If_Match_refuse_a_stale_version()
    {
        using var alice = await _host.SignedInAsync("alice");
        using var bob = await _host.SignedInAsync("bob");
        var id = (string)(await alice.CreateReleaseAsync())["id"]!;

        var first = await alice.PatchAsync($"/api/releases/{id}", new { notes = "Deploy auth first", breakingChanges = "API v2 removed" }, ifMatch: "\"1\"");
        var edited = await ExpectJsonAsync(first, HttpStatusCode.OK);
        Assert.Equal("\"2\"", first.Headers.ETag?.ToString());
        Assert.Equal("API v2 removed", (string?)edited["breakingChanges"]);

        var stale = await ExpectProblemAsync(await bob.PatchAsync($"/api/releases/{id}", new { notes = "Mine" }, ifMatch: "\"1\""), HttpStatusCode.PreconditionFailed);
        Assert.Contains("version 2", (string?)stale["detail"]);
        Assert.Equal("Deploy auth first", (string?)(await bob.GetJsonAsync($"/api/releases/{id}"))["notes"]);
    }

    [Fact]
    public async Task New_commits_found_by_a_refresh_dismiss_the_approvals_and_the_history_says_why()
    {
        using var alice = await _host.SignedInAsync("alice");
        using var dana = await _host.SignedInAsync("dana", DevLead);
        using var quinn = await _host.SignedInAsync("quinn", Qa);
        var id = (string)(await alice.CreateReleaseAsync())["id"]!;
        await dana.PostAsync($"/api/releases/{id}/approve/dev");
        await quinn.PostAsync($"/api/releases/{id}/approve/qa");

        var unchanged = await ExpectJsonAsync(await alice.PostAsync($"/api/releases/{id}/refresh"), HttpStatusCode.OK);
        Assert.Equal("approved", (string?)unchanged["status"]);

        var repo = GitRepoBuilder.Init(fixture.ReposRoot, $"late-{id}").Commit("Erin", "Base").Branch("uat").Checkout("uat").Commit("Erin", "Late fix");
        var refreshed = await ExpectJsonAsync(await alice.PostAsync($"/api/releases/{id}/refresh"), HttpStatusCode.OK);

        Assert.Equal("pending", (string?)refreshed["status"]);
        Assert.Null(refreshed["devApproval"]);
        Assert.Null(refreshed["qaApproval"]);
        Assert.Equal(repo.HeadOf("uat"), (string?)Repo(refreshed, repo.FolderName)["headSha"]);
        var history = (await alice.GetJsonAsync($"/api/releases/{id}/history")).AsArray();
        var last = history[^1]!;
        Assert.Equal("refreshed", (string?)last["action"]);
        Assert.Contains("approvals dismissed", (string?)last["detail"]);
        Assert.Contains(repo.FolderName, (string?)last["detail"]);
        Directory.Delete(repo.Path, recursive: true); // leave the shared repos as the other tests expect them
    }

    [Fact]
    public async Task The_history_lists_every_change_oldest_first_with_who_made_it()
    {
        using var alice = await _host.SignedInAsync("alice");
        using var dana = await _host.SignedInAsync("dana", DevLead);
        var id = (string)(await alice.CreateReleaseAsync())["id"]!;
        await alice.PatchAsync($"/api/releases/{id}", new { notes = "n" });
        await alice.PatchAsync($"/api/releases/{id}/repos/api-gateway", new { excluded = true });
        await dana.PostAsync($"/api/releases/{id}/approve/dev");
        await dana.DeleteAsync($"/api/releases/{id}/approve/dev");

        var history = (await alice.GetJsonAsync($"/api/releases/{id}/history")).AsArray();

        Assert.Equal(["created", "text-edited", "repo-updated", "approved-dev", "withdrawn-dev"], history.Select(h => (string)h!["action"]!));
        Assert.Equal(["alice", "alice", "alice", "dana", "dana"], history.Select(h => (string)h!["actor"]!));
        Assert.Equal(["dev:alice", "dev:alice", "dev:alice", "dev:dana", "dev:dana"], history.Select(h => (string)h!["actorId"]!));
        Assert.Equal([1, 2, 3, 4, 5], history.Select(h => (int)h!["version"]!));
        Assert.All(history, h => Assert.False(string.IsNullOrEmpty((string?)h!["at"])));
    }

    [Fact]
    public async Task The_list_filters_by_status_and_branches_searches_and_pages_newest_first()
    {
        using var alice = await _host.SignedInAsync("searcher-" + Guid.NewGuid().ToString("N")[..6]);
        using var dana = await _host.SignedInAsync("dana", DevLead);
        using var quinn = await _host.SignedInAsync("quinn", Qa);
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((string)(await alice.CreateReleaseAsync(notes: $"batch note {i}"))["id"]!);
        }

        await dana.PostAsync($"/api/releases/{created[1]}/approve/dev");
        await quinn.PostAsync($"/api/releases/{created[1]}/approve/qa");
        var creator = (string)(await alice.GetJsonAsync("/api/me"))["name"]!;

        var page1 = await alice.GetJsonAsync($"/api/releases?search={creator}&limit=2");
        var page2 = await alice.GetJsonAsync($"/api/releases?search={creator}&limit=2&cursor={page1["nextCursor"]}");
        var page3 = await alice.GetJsonAsync($"/api/releases?search={creator}&limit=2&cursor={page2["nextCursor"]}");
        var paged = new[] { page1, page2, page3 }.SelectMany(p => p["items"]!.AsArray().Select(i => (string)i!["id"]!)).ToList();
        Assert.Equal(Enumerable.Reverse(created), paged);
        Assert.Null(page3["nextCursor"]);

        var approved = await alice.GetJsonAsync($"/api/releases?status=approved&source=uat&dest=master&search={creator}");
        var only = Assert.Single(approved["items"]!.AsArray());
        Assert.Equal(created[1], (string?)only!["id"]);
        Assert.True((bool)only["devApproved"]! && (bool)only["qaApproved"]!);

        Assert.Single((await alice.GetJsonAsync("/api/releases?search=BATCH%20NOTE%203"))["items"]!.AsArray());
        Assert.Empty((await alice.GetJsonAsync($"/api/releases?source=dev&search={creator}"))["items"]!.AsArray());
        Assert.NotEmpty((await alice.GetJsonAsync("/api/releases?search=user-service"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Dozens_of_parallel_changes_over_HTTP_are_all_kept()
    {
        using var alice = await _host.SignedInAsync("alice");
        var id = (string)(await alice.CreateReleaseAsync())["id"]!;
        const int changes = 40;

        var responses = await Task.WhenAll(Enumerable.Range(0, changes).Select(i =>
            alice.PatchAsync($"/api/releases/{id}", new { notes = $"edit {i}" })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var release = await alice.GetJsonAsync($"/api/releases/{id}");
        Assert.Equal(1 + changes, (int)release["version"]!);
        Assert.Equal(1 + changes, (await alice.GetJsonAsync($"/api/releases/{id}/history")).AsArray().Count);
    }
}
