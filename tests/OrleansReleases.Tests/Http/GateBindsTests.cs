using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using OrleansReleases.Tests.Support;
using static OrleansReleases.Tests.Support.ApiClient;

namespace OrleansReleases.Tests.Http;

/// <summary>
/// The gate binds, over HTTP and real git repositories: approvals take If-Match and cover commits,
/// deploy compares again, and a repo that cannot be compared stays (stale) and blocks.
/// </summary>
public sealed class GateBindsTests() : ServiceOverRepos<TwoChangedRepos>(TwoChangedRepos.Create, repos => repos.Source)
{
    private static JsonNode Repo(JsonNode release, string name) =>
        release["repos"]!.AsArray().Single(r => (string?)r!["name"] == name)!;

    private static Task<HttpResponseMessage> ApproveAsync(ApiClient client, string id, string kind, string? ifMatch) =>
        client.SendRawAsync(HttpMethod.Post, $"/api/releases/{id}/approve/{kind}", null, ifMatch);

    [Fact]
    public async Task An_approval_with_a_stale_If_Match_is_412_and_one_with_the_current_version_covers_every_head()
    {
        using var alice = await Host.SignedInAsync("alice");
        using var dana = await Host.SignedInAsync("dana", DevLead);
        var created = await alice.CreateReleaseAsync();
        var id = (string)created["id"]!;
        var seen = (int)created["version"]!;
        await ExpectJsonAsync(await alice.PatchAsync($"/api/releases/{id}", new { notes = "changed after dana loaded it" }), HttpStatusCode.OK);

        var stale = await ExpectProblemAsync(await ApproveAsync(dana, id, "dev", $"\"{seen}\""), HttpStatusCode.PreconditionFailed);
        Assert.Contains("version", (string?)stale["detail"]);
        Assert.Null((await alice.GetJsonAsync($"/api/releases/{id}"))["devApproval"]);

        var approved = await ExpectJsonAsync(await ApproveAsync(dana, id, "dev", $"\"{seen + 1}\""), HttpStatusCode.OK);
        var covers = approved["devApproval"]!["covers"]!.AsArray()
            .Select(c => ((string)c!["repo"]!, (string)c["sha"]!)).ToList();
        Assert.Equal([(TwoChangedRepos.Gateway, Repos.Open(TwoChangedRepos.Gateway).HeadOf("uat")), (TwoChangedRepos.Auth, Repos.Open(TwoChangedRepos.Auth).HeadOf("uat"))], covers);

        await ExpectProblemAsync(await ApproveAsync(dana, id, "qa", "\"x\""), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_commit_pushed_after_the_approvals_makes_deploy_409_naming_the_repo_and_dismisses_the_approvals()
    {
        using var alice = await Host.SignedInAsync("alice", "release-deployer");
        using var dana = await Host.SignedInAsync("dana", DevLead);
        using var quinn = await Host.SignedInAsync("quinn", Qa);
        var id = (string)(await alice.CreateReleaseAsync())["id"]!;
        await ExpectJsonAsync(await dana.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.OK);
        await ExpectJsonAsync(await quinn.PostAsync($"/api/releases/{id}/approve/qa"), HttpStatusCode.OK);
        var auth = Repos.Open(TwoChangedRepos.Auth);
        var approvedHead = auth.HeadOf("uat");

        auth.Commit("Mallory", "Slipped in after sign-off");
        var newHead = auth.HeadOf("uat");
        var refused = await ExpectProblemAsync(await alice.PostAsync($"/api/releases/{id}/deploy"), HttpStatusCode.Conflict);

        var detail = (string)refused["detail"]!;
        Assert.Contains($"{TwoChangedRepos.Auth} ({approvedHead[..7]} → {newHead[..7]})", detail);
        var release = await alice.GetJsonAsync($"/api/releases/{id}");
        Assert.Equal("pending", (string?)release["status"]);
        Assert.Null(release["devApproval"]);
        Assert.Null(release["qaApproval"]);
        Assert.Equal(newHead, (string?)Repo(release, TwoChangedRepos.Auth)["headSha"]);

        var history = (await alice.GetJsonAsync($"/api/releases/{id}/history")).AsArray();
        var dismissal = history[^1]!;
        Assert.Equal("refreshed", (string?)dismissal["action"]);
        Assert.Contains("approvals dismissed", (string?)dismissal["detail"]);
        var change = Assert.Single(dismissal["changes"]!.AsArray())!;
        Assert.Equal(($"{TwoChangedRepos.Auth} head", approvedHead, newHead),
            ((string?)change["field"], (string?)change["before"], (string?)change["after"]));

        // Approved again on the new commit, the release deploys.
        await ExpectJsonAsync(await dana.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.OK);
        await ExpectJsonAsync(await quinn.PostAsync($"/api/releases/{id}/approve/qa"), HttpStatusCode.OK);
        var deployed = await ExpectJsonAsync(await alice.PostAsync($"/api/releases/{id}/deploy"), HttpStatusCode.OK);
        Assert.Equal("deployed", (string?)deployed["status"]);
    }

    [Fact]
    public async Task A_repo_whose_git_folder_breaks_stays_stale_blocks_approval_and_excluding_it_lifts_that()
    {
        using var alice = await Host.SignedInAsync("alice");
        using var dana = await Host.SignedInAsync("dana", DevLead);
        var id = (string)(await alice.CreateReleaseAsync())["id"]!;
        await ExpectJsonAsync(await alice.PatchAsync($"/api/releases/{id}/repos/{TwoChangedRepos.Gateway}",
            new { dependsOn = new[] { TwoChangedRepos.Auth } }), HttpStatusCode.OK);
        var authHead = Repos.Open(TwoChangedRepos.Auth).HeadOf("uat");

        // The refs still read, but the commits are gone: git log fails on this repo.
        foreach (var objects in Directory.EnumerateDirectories(Path.Combine(Repos.Root, TwoChangedRepos.Auth, ".git", "objects"), "??"))
        {
            Directory.Delete(objects, recursive: true);
        }

        var refreshed = await ExpectJsonAsync(await alice.PostAsync($"/api/releases/{id}/refresh"), HttpStatusCode.OK);

        var auth = Repo(refreshed, TwoChangedRepos.Auth);
        Assert.True((bool)auth["stale"]!);
        Assert.Equal(authHead, (string?)auth["headSha"]);
        Assert.False((bool)Repo(refreshed, TwoChangedRepos.Gateway)["stale"]!);
        Assert.Equal([TwoChangedRepos.Auth], Repo(refreshed, TwoChangedRepos.Gateway)["dependsOn"]!.AsArray().Select(d => (string)d!));
        Assert.Contains(refreshed["warnings"]!.AsArray(), w => ((string)w!).StartsWith(TwoChangedRepos.Auth, StringComparison.Ordinal));

        var blocked = await ExpectProblemAsync(await dana.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.Conflict);
        Assert.Contains(TwoChangedRepos.Auth, (string?)blocked["detail"]);

        var excluded = await ExpectJsonAsync(await alice.PatchAsync($"/api/releases/{id}/repos/{TwoChangedRepos.Auth}", new { excluded = true }), HttpStatusCode.OK);
        Assert.True((bool)Repo(excluded, TwoChangedRepos.Auth)["stale"]!);
        var approved = await ExpectJsonAsync(await dana.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.OK);
        Assert.Equal([TwoChangedRepos.Gateway], approved["devApproval"]!["covers"]!.AsArray().Select(c => (string)c!["repo"]!));
    }

    [Fact]
    public async Task Concurrent_refreshes_leave_the_newest_comparison_applied()
    {
        using var alice = await Host.SignedInAsync("alice");
        var id = (string)(await alice.CreateReleaseAsync())["id"]!;
        var auth = Repos.Open(TwoChangedRepos.Auth);

        var refreshes = new List<Task<HttpResponseMessage>>();
        for (var i = 0; i < 4; i++)
        {
            auth.Commit("Alice", $"Push {i}");
            refreshes.Add(alice.PostAsync($"/api/releases/{id}/refresh"));
        }

        foreach (var response in await Task.WhenAll(refreshes))
        {
            await ExpectJsonAsync(response, HttpStatusCode.OK);
        }

        var release = await alice.GetJsonAsync($"/api/releases/{id}");
        Assert.Equal(auth.HeadOf("uat"), (string?)Repo(release, TwoChangedRepos.Auth)["headSha"]);
        Assert.Equal(5, (int)Repo(release, TwoChangedRepos.Auth)["commitCount"]!);
    }
}
