using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Tests.Support;
using static OrleansReleases.Tests.Support.ApiClient;

namespace OrleansReleases.Tests.WhatShips;

/// <summary>
/// What ships, over real git repositories: each repo's commits (order, the cap of 250, total, no
/// URLs for local git; readable after the source branch is deleted), the delta since approval,
/// the notes draft, checks (none for local git) and dependencies carried over to the next release.
/// Each test uses branches of its own.
/// </summary>
public sealed class LocalCommitsTests : IAsyncLifetime
{
    private readonly TempFolder _folder = TempFolder.Create();
    private string _root = "";
    private ServiceHost _host = null!;

    public async Task InitializeAsync()
    {
        _root = _folder.Folder("repos");
        GitRepoBuilder.Init(_root, "auth-service").Commit("Alice", "Initial");
        GitRepoBuilder.Init(_root, "api-gateway").Commit("Carol", "Initial");
        _host = await ServiceHost.StartAsync(_folder.Folder("data"), $"Releases:Sources:LocalGit:Root={_root}");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private GitRepo Repo(string name) => GitRepoBuilder.Open(Path.Combine(_root, name));

    private static JsonNode RepoOf(JsonNode release, string name) =>
        release["repos"]!.AsArray().Single(r => (string?)r!["name"] == name)!;

    /// <summary>Many empty commits on the checked-out branch, in one git process per commit but one shell.</summary>
    private static void BulkCommits(GitRepo repo, int count, string author)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = repo.Path, UseShellExecute = false, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"for i in $(seq 1 {count}); do git -c user.name='{author}' -c user.email=bulk@example.com -c commit.gpgsign=false commit --allow-empty -q -m \"Bulk $i\" || exit 1; done");
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        using var process = Process.Start(start)!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public async Task A_repos_commits_are_listed_newest_first_capped_at_250_with_the_exact_total_and_stay_readable_after_the_branch_is_deleted()
    {
        var auth = Repo("auth-service").Branch("rc-many").Checkout("rc-many");
        BulkCommits(auth, 260, "Gina");
        auth.Commit("Hal", "Last change");
        var head = auth.HeadOf("rc-many");
        auth.Checkout("master");
        using var alice = await _host.SignedInAsync("alice");
        var release = await alice.CreateReleaseAsync("rc-many", "master");
        var id = (string)release["id"]!;
        Assert.Equal(261, (int)RepoOf(release, "auth-service")["commitCount"]!);
        Assert.Equal(Repo("auth-service").HeadOf("master"), (string?)RepoOf(release, "auth-service")["baseSha"]);
        Assert.Equal("none", (string?)RepoOf(release, "auth-service")["checks"]!["state"]);

        var answer = await alice.GetJsonAsync($"/api/releases/{id}/repos/auth-service/commits");

        Assert.Equal(261, (int)answer["total"]!);
        var commits = answer["commits"]!.AsArray();
        Assert.Equal(250, commits.Count);
        Assert.Equal(head, (string?)commits[0]!["sha"]);
        Assert.Equal("Last change", (string?)commits[0]!["subject"]);
        Assert.Equal("Hal", (string?)commits[0]!["author"]);
        Assert.Null(commits[0]!["url"]);
        Assert.Equal("Bulk 260", (string?)commits[1]!["subject"]);
        Assert.Equal("Bulk 12", (string?)commits[249]!["subject"]); // the 11 oldest are beyond the cap
        Assert.Null(answer["compareUrl"]);

        // The branches move on: the source branch is deleted and master gets the commits. The list is what the release showed.
        GitRepoBuilder.Git(auth.Path, "merge", "--quiet", "--ff-only", "rc-many");
        auth.DeleteBranch("rc-many");
        var again = await alice.GetJsonAsync($"/api/releases/{id}/repos/auth-service/commits");
        Assert.Equal(261, (int)again["total"]!);
        Assert.Equal(head, (string?)again["commits"]![0]!["sha"]);

        await ExpectProblemAsync(await alice.GetAsync($"/api/releases/{id}/repos/nope/commits"), HttpStatusCode.NotFound);
        await ExpectProblemAsync(await alice.GetAsync("/api/releases/rel-nope/repos/auth-service/commits"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task New_commits_after_the_approvals_are_counted_and_listed_first()
    {
        var auth = Repo("auth-service").Branch("rc-delta").Checkout("rc-delta").Commit("Alice", "Login").Commit("Bob", "Logout");
        auth.Checkout("master");
        Repo("api-gateway").Branch("rc-delta").Checkout("rc-delta").Commit("Carol", "Route").Checkout("master");
        using var alice = await _host.SignedInAsync("alice");
        using var dana = await _host.SignedInAsync("dana", DevLead);
        using var quinn = await _host.SignedInAsync("quinn", Qa);
        var id = (string)(await alice.CreateReleaseAsync("rc-delta", "master"))["id"]!;
        await ExpectJsonAsync(await dana.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.OK);
        var approved = await ExpectJsonAsync(await quinn.PostAsync($"/api/releases/{id}/approve/qa"), HttpStatusCode.OK);
        Assert.Equal(0, (int)RepoOf(approved, "auth-service")["newSinceApproval"]!);
        await _host.Service<ReleaseCommits>().WhenIdleAsync(); // the approval read the covered commits ahead

        auth.Checkout("rc-delta").Commit("Alice", "Fix 1").Commit("Alice", "Fix 2").Commit("Bob", "Fix 3").Checkout("master");
        var refreshed = await ExpectJsonAsync(await alice.PostAsync($"/api/releases/{id}/refresh"), HttpStatusCode.OK);

        Assert.Equal("pending", (string?)refreshed["status"]);
        Assert.Equal(3, (int)RepoOf(refreshed, "auth-service")["newSinceApproval"]!);
        Assert.Equal(0, (int)RepoOf(refreshed, "api-gateway")["newSinceApproval"]!);
        var commits = (await alice.GetJsonAsync($"/api/releases/{id}/repos/auth-service/commits"))["commits"]!.AsArray();
        Assert.Equal(["Fix 3", "Fix 2", "Fix 1", "Logout", "Login"], commits.Select(c => (string)c!["subject"]!));

        // One more commit: the delta still counts from what was approved.
        auth.Checkout("rc-delta").Commit("Bob", "Fix 4").Checkout("master");
        refreshed = await ExpectJsonAsync(await alice.PostAsync($"/api/releases/{id}/refresh"), HttpStatusCode.OK);
        Assert.Equal(4, (int)RepoOf(refreshed, "auth-service")["newSinceApproval"]!);

        // Approved again: the delta was reviewed.
        await ExpectJsonAsync(await dana.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.OK);
        var again = await ExpectJsonAsync(await quinn.PostAsync($"/api/releases/{id}/approve/qa"), HttpStatusCode.OK);
        Assert.Equal(0, (int)RepoOf(again, "auth-service")["newSinceApproval"]!);
    }

    [Fact]
    public async Task The_notes_draft_has_a_section_per_repo_in_deploy_order_with_pull_requests_and_commits_and_no_merges()
    {
        var gateway = Repo("api-gateway").Branch("rc-notes").Checkout("rc-notes").Commit("Carol", "Add rate limits");
        gateway.Branch("feature-login").Checkout("feature-login").Commit("Carol", "Login form").Commit("Carol", "Login tests").Checkout("rc-notes");
        GitRepoBuilder.Git(gateway.Path, "-c", "user.name=Carol", "-c", "user.email=carol@example.com", "merge", "--no-ff", "--quiet",
            "-m", "Merge pull request #7 from acme/feature-login\n\nAdd the login page", "feature-login");
        gateway.Commit("Carol", "Cache routes (#9)").Checkout("master");
        Repo("auth-service").Branch("rc-notes").Checkout("rc-notes").Commit("Alice", "Rotate keys").Checkout("master");
        using var alice = await _host.SignedInAsync("alice");
        var id = (string)(await alice.CreateReleaseAsync("rc-notes", "master"))["id"]!;
        await ExpectJsonAsync(await alice.PatchAsync($"/api/releases/{id}/repos/api-gateway", new { dependsOn = new[] { "auth-service" } }), HttpStatusCode.OK);

        var response = await alice.GetAsync($"/api/releases/{id}/notes-draft");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/markdown", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""
            # Release `rc-notes` → `master`

            ## auth-service

            - Rotate keys

            ## api-gateway

            - Add rate limits
            - Add the login page (#7)
            - Cache routes (#9)

            """.ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public async Task A_new_release_of_the_same_branches_starts_with_the_dependencies_of_the_one_before()
    {
        Repo("auth-service").Branch("rc-carry").Checkout("rc-carry").Commit("Alice", "One").Checkout("master");
        Repo("api-gateway").Branch("rc-carry").Checkout("rc-carry").Commit("Carol", "Two").Checkout("master");
        using var alice = await _host.SignedInAsync("alice");
        var first = (string)(await alice.CreateReleaseAsync("rc-carry", "master"))["id"]!;
        await ExpectJsonAsync(await alice.PatchAsync($"/api/releases/{first}/repos/api-gateway", new { dependsOn = new[] { "auth-service" } }), HttpStatusCode.OK);

        var second = await alice.CreateReleaseAsync("rc-carry", "master");

        Assert.Equal(["auth-service"], RepoOf(second, "api-gateway")["dependsOn"]!.AsArray().Select(d => (string)d!));
        Assert.Equal(1, (int)second["version"]!);
        var created = (await alice.GetJsonAsync($"/api/releases/{second["id"]}/history")).AsArray()[0]!;
        Assert.Contains($"dependencies carried over from release {first}: api-gateway → auth-service", (string?)created["detail"]);
        var change = Assert.Single(created["changes"]!.AsArray())!;
        Assert.Equal("api-gateway dependsOn", (string?)change["field"]);
        Assert.Equal("auth-service", (string?)change["after"]);

        // Still editable.
        var edited = await ExpectJsonAsync(await alice.PatchAsync($"/api/releases/{second["id"]}/repos/api-gateway", new { dependsOn = Array.Empty<string>() }), HttpStatusCode.OK);
        Assert.Empty(RepoOf(edited, "api-gateway")["dependsOn"]!.AsArray());

        // Another branch pair starts with none.
        Repo("auth-service").Branch("rc-other").Checkout("rc-other").Commit("Alice", "Three").Checkout("master");
        Repo("api-gateway").Branch("rc-other").Checkout("rc-other").Commit("Carol", "Four").Checkout("master");
        var other = await alice.CreateReleaseAsync("rc-other", "master");
        Assert.Empty(RepoOf(other, "api-gateway")["dependsOn"]!.AsArray());
    }
}
