using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using OrleansReleases.Tests.Support;
using static OrleansReleases.Tests.Support.ApiClient;

namespace OrleansReleases.Tests.Gate;

/// <summary>
/// <c>GET /api/gate</c> over real git repositories (<see cref="TwoChangedRepos"/>): a pipeline asks
/// whether a repo's commit may deploy into a branch, through a release's whole life.
/// </summary>
public sealed class GateHttpTests : IDisposable
{
    private readonly TempFolder _folder = TempFolder.Create();

    private static string Gate(string repo, string sha, string dest = "master") =>
        $"/api/gate?repo={Uri.EscapeDataString(repo)}&sha={Uri.EscapeDataString(sha)}&dest={Uri.EscapeDataString(dest)}";

    private static async Task<JsonNode> ExpectDeniedAsync(ApiClient client, string path)
    {
        var problem = await ExpectProblemAsync(await client.GetAsync(path), HttpStatusCode.Conflict);
        Assert.False((bool)problem["allowed"]!);
        return problem;
    }

    private static async Task<JsonNode> ExpectAllowedAsync(ApiClient client, string path)
    {
        var answer = await ExpectJsonAsync(await client.GetAsync(path), HttpStatusCode.OK);
        Assert.True((bool)answer["allowed"]!);
        return answer;
    }

    [Fact]
    public async Task The_gate_opens_only_for_the_commit_an_approved_or_deployed_release_holds()
    {
        var repos = TwoChangedRepos.Create(_folder);
        var auth = repos.Open(TwoChangedRepos.Auth);
        var head = auth.HeadOf("uat");
        var older = auth.HeadOf("master");
        await using var host = await ServiceHost.StartAsync(_folder.Folder("data"), repos.Source);
        using var ci = await host.SignedInAsync("pipeline");
        using var dana = await host.SignedInAsync("dana", DevLead);
        using var quinn = await host.SignedInAsync("quinn", Qa);

        var none = await ExpectDeniedAsync(ci, Gate(TwoChangedRepos.Auth, head));
        Assert.Equal("No release into master holds auth-service.", (string?)none["detail"]);

        var id = (string)(await ci.CreateReleaseAsync())["id"]!;
        var pending = await ExpectDeniedAsync(ci, Gate(TwoChangedRepos.Auth, head));
        Assert.Contains($"Release {id}", (string?)pending["detail"]);
        Assert.Contains("not approved yet", (string?)pending["detail"]);
        Assert.Contains("the dev approval and the qa approval are missing", (string?)pending["detail"]);
        Assert.Equal(id, (string?)pending["releaseId"]);

        await ExpectJsonAsync(await dana.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.OK);
        var halfway = await ExpectDeniedAsync(ci, Gate(TwoChangedRepos.Auth, head));
        Assert.Contains("not approved yet: the qa approval is missing", (string?)halfway["detail"]);

        await ExpectJsonAsync(await quinn.PostAsync($"/api/releases/{id}/approve/qa"), HttpStatusCode.OK);
        var response = await ci.GetAsync(Gate(TwoChangedRepos.Auth, head));
        var allowed = await ExpectJsonAsync(response, HttpStatusCode.OK);
        Assert.True((bool)allowed["allowed"]!);
        Assert.Equal(id, (string?)allowed["releaseId"]);
        Assert.Equal("approved", (string?)allowed["status"]);
        Assert.Equal("dana", (string?)allowed["devApproval"]!["by"]);
        Assert.Equal("quinn", (string?)allowed["qaApproval"]!["by"]);
        Assert.Equal(head, (string?)allowed["sha"]);
        Assert.Equal("auth-service", (string?)allowed["repo"]);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());

        var byPrefix = await ExpectAllowedAsync(ci, Gate(TwoChangedRepos.Auth, head[..7]));
        Assert.Equal(head, (string?)byPrefix["sha"]);
        await ExpectAllowedAsync(ci, Gate(TwoChangedRepos.Auth, head.ToUpperInvariant()));
        await ExpectAllowedAsync(ci, Gate(TwoChangedRepos.Auth.ToUpperInvariant(), head[..12].ToUpperInvariant()));
        await ExpectAllowedAsync(ci, Gate(TwoChangedRepos.Gateway, repos.Open(TwoChangedRepos.Gateway).HeadOf("uat")));

        var stale = await ExpectDeniedAsync(ci, Gate(TwoChangedRepos.Auth, older));
        Assert.Contains($"release {id} (approved) holds auth-service at {head}", (string?)stale["detail"]);
        Assert.Contains(older, (string?)stale["detail"]);

        var otherRepo = await ExpectDeniedAsync(ci, Gate("billing-service", head));
        Assert.Equal("No release into master holds billing-service.", (string?)otherRepo["detail"]);
        var otherDest = await ExpectDeniedAsync(ci, Gate(TwoChangedRepos.Auth, head, dest: "production"));
        Assert.Equal("No release into production holds auth-service.", (string?)otherDest["detail"]);

        await ExpectJsonAsync(await dana.PostAsync($"/api/releases/{id}/deploy"), HttpStatusCode.OK);
        var deployed = await ExpectAllowedAsync(ci, Gate(TwoChangedRepos.Auth, head));
        Assert.Equal("deployed", (string?)deployed["status"]);
        Assert.Equal(id, (string?)deployed["releaseId"]);
    }

    [Fact]
    public async Task An_excluded_repo_and_a_newer_commit_keep_the_gate_closed()
    {
        var repos = TwoChangedRepos.Create(_folder);
        var auth = repos.Open(TwoChangedRepos.Auth);
        var approvedHead = auth.HeadOf("uat");
        var gatewayHead = repos.Open(TwoChangedRepos.Gateway).HeadOf("uat");
        await using var host = await ServiceHost.StartAsync(_folder.Folder("data"), repos.Source);
        using var dana = await host.SignedInAsync("dana", DevLead);
        using var quinn = await host.SignedInAsync("quinn", Qa);

        var id = (string)(await dana.CreateReleaseAsync())["id"]!;
        await ExpectJsonAsync(await dana.PatchAsync($"/api/releases/{id}/repos/{TwoChangedRepos.Gateway}", new { excluded = true }), HttpStatusCode.OK);
        await ExpectJsonAsync(await dana.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.OK);
        await ExpectJsonAsync(await quinn.PostAsync($"/api/releases/{id}/approve/qa"), HttpStatusCode.OK);

        var excluded = await ExpectDeniedAsync(dana, Gate(TwoChangedRepos.Gateway, gatewayHead));
        Assert.Equal($"api-gateway is excluded from release {id}: it is not cleared to ship into master.", (string?)excluded["detail"]);
        await ExpectAllowedAsync(dana, Gate(TwoChangedRepos.Auth, approvedHead));

        // A new commit on uat: the refresh dismisses the approvals, and the release now holds the new head.
        auth.Checkout("uat").Commit("Bob", "Hotfix");
        var newHead = auth.HeadOf("uat");
        await ExpectJsonAsync(await dana.PostAsync($"/api/releases/{id}/refresh"), HttpStatusCode.OK);

        var superseded = await ExpectDeniedAsync(dana, Gate(TwoChangedRepos.Auth, approvedHead));
        Assert.Contains($"release {id} (pending) holds auth-service at {newHead}", (string?)superseded["detail"]);
        var unapproved = await ExpectDeniedAsync(dana, Gate(TwoChangedRepos.Auth, newHead[..7]));
        Assert.Contains("not approved yet", (string?)unapproved["detail"]);
    }

    [Fact]
    public async Task Bad_parameters_are_400_and_no_sign_in_is_401()
    {
        var repos = TwoChangedRepos.Create(_folder);
        var head = repos.Open(TwoChangedRepos.Auth).HeadOf("uat");
        await using var host = await ServiceHost.StartAsync(_folder.Folder("data"), repos.Source);
        using var ci = await host.SignedInAsync("pipeline");

        string[] bad =
        [
            $"/api/gate?sha={head}&dest=master",
            $"/api/gate?repo=auth-service&dest=master",
            $"/api/gate?repo=auth-service&sha={head}",
            Gate("", head),
            Gate("auth service", head),
            Gate("-rf", head),
            Gate("a/b/c", head),
            Gate("auth-service", head[..6]),
            Gate("auth-service", "zzzzzzz"),
            Gate("auth-service", head + "0"),
            Gate("auth-service", head, dest: "bad..branch"),
            Gate("auth-service", head, dest: "-x"),
            Gate("auth-service", head, dest: " master"),
        ];
        foreach (var path in bad)
        {
            var problem = await ExpectProblemAsync(await ci.GetAsync(path), HttpStatusCode.BadRequest);
            Assert.False(string.IsNullOrEmpty((string?)problem["detail"]), path);
        }

        var shortSha = await ExpectProblemAsync(await ci.GetAsync(Gate("auth-service", head[..6])), HttpStatusCode.BadRequest);
        Assert.Contains("sha must be 7 to 40 hexadecimal digits", (string?)shortSha["detail"]);

        using var anonymous = host.Client();
        await ExpectProblemAsync(await anonymous.GetAsync(Gate("auth-service", head)), HttpStatusCode.Unauthorized);
        using var noHeader = new ApiClient(host.BaseAddress, sendXRequestedWith: false); // a GET needs no X-Requested-With
        await noHeader.SignInAsync("pipeline");
        await ExpectDeniedAsync(noHeader, Gate("auth-service", head));
    }

    [Fact]
    public async Task Releases_stored_before_the_gate_index_are_filled_at_start_up()
    {
        var repos = TwoChangedRepos.Create(_folder);
        var head = repos.Open(TwoChangedRepos.Auth).HeadOf("uat");
        var data = _folder.Folder("data");
        string id;
        await using (var first = await ServiceHost.StartAsync(data, repos.Source))
        {
            using var dana = await first.SignedInAsync("dana", DevLead);
            using var quinn = await first.SignedInAsync("quinn", Qa);
            id = (string)(await dana.CreateReleaseAsync())["id"]!;
            await ExpectJsonAsync(await dana.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.OK);
            await ExpectJsonAsync(await quinn.PostAsync($"/api/releases/{id}/approve/qa"), HttpStatusCode.OK);
        }

        // What a database written by a version without the gate looks like: no gate tables at all.
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(data, "releases.db")}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DROP TABLE release_gate; DROP TABLE release_gate_version;";
            command.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        await using var second = await ServiceHost.StartAsync(data, repos.Source);
        using var ci = await second.SignedInAsync("pipeline");
        var allowed = await ExpectAllowedAsync(ci, Gate(TwoChangedRepos.Auth, head));
        Assert.Equal(id, (string?)allowed["releaseId"]);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
