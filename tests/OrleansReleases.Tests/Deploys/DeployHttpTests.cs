using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using OrleansReleases.Tests.Support;
using static OrleansReleases.Tests.Support.ApiClient;
using static OrleansReleases.Tests.Support.ThreeLayerRepos;

namespace OrleansReleases.Tests.Deploys;

/// <summary>
/// Deploying over HTTP, on three real git repositories in three layers (db-service, then
/// api-service, then web-app): the plan, per-repo reports, the freeze switch and its override, roles.
/// </summary>
public sealed class DeployHttpTests() : ServiceOverRepos<ThreeLayerRepos>(ThreeLayerRepos.Create, repos => repos.Source)
{
    private const string WebApp = ThreeLayerRepos.Web;

    public const string Deployer = "release-deployer";
    public const string Admin = "release-admin";

    private static Task<HttpResponseMessage> Report(ApiClient client, string id, string repo, string sha, string state, string? url = null, string? reason = null) =>
        client.PostAsync($"/api/releases/{id}/repos/{repo}/deployment", new Dictionary<string, string?>
        {
            ["sha"] = sha, ["state"] = state, ["url"] = url, ["override"] = reason,
        });

    private static string[][] Names(JsonNode layers) =>
        layers.AsArray().Select(l => l!.AsArray().Select(s => (string)s!["repo"]!).ToArray()).ToArray();

    private static string? StateOf(JsonNode release, string repo) =>
        (string?)release["repos"]!.AsArray().Single(r => (string)r!["name"]! == repo)!["deployment"]?["state"];

    [Fact]
    public async Task A_three_layer_release_is_reported_through_its_plan_to_deployed()
    {
        var id = await ApprovedReleaseAsync(Host);
        using var ci = await Host.SignedInAsync("ci", Deployer);

        var plan = await ci.GetJsonAsync($"/api/releases/{id}/plan");
        Assert.Equal(id, (string?)plan["releaseId"]);
        Assert.Equal("uat", (string?)plan["sourceBranch"]);
        Assert.Equal("master", (string?)plan["destBranch"]);
        Assert.Equal("approved", (string?)plan["status"]);
        Assert.Equal([[Db], [Api], [WebApp]], Names(plan["layers"]!));
        var api = plan["layers"]![1]![0]!;
        Assert.Equal(Repos.HeadOf(Api), (string?)api["sha"]);
        Assert.Equal([Db], api["dependsOn"]!.AsArray().Select(n => (string)n!));
        Assert.Null(api["deployment"]);
        Assert.Empty(plan["rollback"]!.AsArray());

        foreach (var repo in new[] { Db, Api, WebApp })
        {
            var started = await ExpectJsonAsync(await Report(ci, id, repo, Repos.HeadOf(repo), "in_progress", "https://ci.example.com/runs/1"), HttpStatusCode.OK);
            Assert.Equal("deploying", (string?)started["status"]);
            Assert.Equal("in_progress", StateOf(started, repo));
            var done = await ExpectJsonAsync(await Report(ci, id, repo, Repos.HeadOf(repo), "success"), HttpStatusCode.OK);
            Assert.Equal(repo == WebApp ? "deployed" : "deploying", (string?)done["status"]);
            if (repo == Api)
            {
                var listed = await ci.GetJsonAsync("/api/releases?status=deploying");
                Assert.Equal(id, (string?)Assert.Single(listed["items"]!.AsArray())!["id"]);
                var midway = await ci.GetJsonAsync($"/api/releases/{id}/plan");
                Assert.Equal([[Api], [Db]], Names(midway["rollback"]!)); // deployed repos, last layer first
            }
        }

        var deployed = await ci.GetJsonAsync($"/api/releases/{id}");
        var db = deployed["repos"]!.AsArray().Single(r => (string)r!["name"]! == Db)!["deployment"]!;
        Assert.Equal("success", (string?)db["state"]);
        Assert.Equal(Repos.HeadOf(Db), (string?)db["sha"]);
        Assert.Equal("ci", (string?)db["by"]);
        Assert.Null((string?)db["url"]); // the success report carried no link
        var finalPlan = await ci.GetJsonAsync($"/api/releases/{id}/plan");
        Assert.Equal("deployed", (string?)finalPlan["status"]);
        Assert.Equal([[WebApp], [Api], [Db]], Names(finalPlan["rollback"]!));

        var history = (await ci.GetJsonAsync($"/api/releases/{id}/history")).AsArray();
        Assert.Equal("deployed", (string?)history[^1]!["action"]);
        Assert.Equal(["Ready", "DeployFinished"], OutboxKinds(id));
        await ExpectProblemAsync(await Report(ci, id, WebApp, Repos.HeadOf(WebApp), "failure"), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Layer_two_before_layer_one_succeeded_and_a_wrong_sha_are_409_saying_why()
    {
        var id = await ApprovedReleaseAsync(Host);
        using var ci = await Host.SignedInAsync("ci", Deployer);

        var early = await ExpectProblemAsync(await Report(ci, id, Api, Repos.HeadOf(Api), "in_progress"), HttpStatusCode.Conflict);
        Assert.Contains($"Waiting for {Db} (not started)", (string?)early["detail"]);
        await ExpectJsonAsync(await Report(ci, id, Db, Repos.HeadOf(Db), "in_progress"), HttpStatusCode.OK);
        var still = await ExpectProblemAsync(await Report(ci, id, Api, Repos.HeadOf(Api), "success"), HttpStatusCode.Conflict);
        Assert.Contains($"{Db} (in progress)", (string?)still["detail"]);

        var older = GitRepoBuilder.Open(Path.Combine(Repos.Root, Db)).HeadOf("master");
        var wrong = await ExpectProblemAsync(await Report(ci, id, Db, older, "success"), HttpStatusCode.Conflict);
        Assert.Contains($"approved at {Repos.HeadOf(Db)}, not at {older}", (string?)wrong["detail"]);

        await ExpectProblemAsync(await Report(ci, id, Db, Repos.HeadOf(Db), "done"), HttpStatusCode.BadRequest);
        await ExpectProblemAsync(await Report(ci, id, Db, Repos.HeadOf(Db), "success", "javascript:alert(1)"), HttpStatusCode.BadRequest);
        await ExpectProblemAsync(await Report(ci, id, "no-such-repo", Repos.HeadOf(Db), "success"), HttpStatusCode.NotFound);

        // What ships is fixed while deploying.
        using var dana = await Host.SignedInAsync("dana", DevLead);
        var exclude = await ExpectProblemAsync(await dana.PatchAsync($"/api/releases/{id}/repos/{WebApp}", new { excluded = true }), HttpStatusCode.Conflict);
        Assert.Contains("deploying", (string?)exclude["detail"]);
        await ExpectProblemAsync(await dana.PostAsync($"/api/releases/{id}/refresh"), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_failure_is_posted_once_blocks_mark_deployed_and_a_retry_goes_on()
    {
        var id = await ApprovedReleaseAsync(Host);
        using var ci = await Host.SignedInAsync("ci", Deployer);
        await ExpectJsonAsync(await Report(ci, id, Db, Repos.HeadOf(Db), "in_progress", "https://ci.example.com/runs/7"), HttpStatusCode.OK);
        var failed = await ExpectJsonAsync(await Report(ci, id, Db, Repos.HeadOf(Db), "failure", "https://ci.example.com/runs/7"), HttpStatusCode.OK);
        Assert.Equal("failure", StateOf(failed, Db));
        Assert.Equal("deploying", (string?)failed["status"]);
        await ExpectJsonAsync(await Report(ci, id, Db, Repos.HeadOf(Db), "failure", "https://ci.example.com/runs/7"), HttpStatusCode.OK); // repeated
        Assert.Equal(["Ready", "DeployFailed"], OutboxKinds(id));

        var mark = await ExpectProblemAsync(await ci.PostAsync($"/api/releases/{id}/deploy"), HttpStatusCode.Conflict);
        Assert.Contains($"{Db} failed", (string?)mark["detail"]);

        await ExpectJsonAsync(await Report(ci, id, Db, Repos.HeadOf(Db), "in_progress", "https://ci.example.com/runs/8"), HttpStatusCode.OK);
        var retried = await ExpectJsonAsync(await Report(ci, id, Db, Repos.HeadOf(Db), "success", "https://ci.example.com/runs/8"), HttpStatusCode.OK);
        Assert.Equal("success", StateOf(retried, Db));
        await ExpectJsonAsync(await Report(ci, id, Api, Repos.HeadOf(Api), "in_progress"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_stop_the_line_switch_refuses_starts_and_an_admin_override_is_in_the_history_and_the_chat_outbox()
    {
        var id = await ApprovedReleaseAsync(Host);
        using var ci = await Host.SignedInAsync("ci", Deployer);
        using var ada = await Host.SignedInAsync("ada", Admin, Deployer);
        using var dana = await Host.SignedInAsync("dana", DevLead);

        var open = await ci.GetJsonAsync("/api/freeze");
        Assert.False((bool)open["frozen"]!);
        Assert.Empty(open["windows"]!.AsArray());

        await ExpectProblemAsync(await ci.SendRawAsync(HttpMethod.Put, "/api/freeze", """{"reason":"incident 42"}"""), HttpStatusCode.Forbidden);
        var until = DateTimeOffset.UtcNow.AddHours(2);
        var frozen = await ExpectJsonAsync(await ada.SendRawAsync(HttpMethod.Put, "/api/freeze",
            JsonSerializer.Serialize(new { reason = "incident 42", until })), HttpStatusCode.OK);
        Assert.True((bool)frozen["frozen"]!);
        Assert.Equal("incident 42", (string?)frozen["reason"]);
        Assert.Equal("ada", (string?)frozen["by"]);
        Assert.NotNull((string?)frozen["until"]);
        Assert.True((bool)(await ci.GetJsonAsync("/api/freeze"))["frozen"]!);

        var refused = await ExpectProblemAsync(await Report(ci, id, Db, Repos.HeadOf(Db), "in_progress"), HttpStatusCode.Conflict);
        Assert.Contains("incident 42", (string?)refused["detail"]);
        var mark = await ExpectProblemAsync(await ci.PostAsync($"/api/releases/{id}/deploy"), HttpStatusCode.Conflict);
        Assert.Contains("frozen", (string?)mark["detail"]);
        // Approvals go on while frozen.
        await ExpectJsonAsync(await dana.DeleteAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.OK);
        await ExpectJsonAsync(await dana.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.OK);

        // Only an admin goes through, with a reason.
        await ExpectProblemAsync(await Report(ci, id, Db, Repos.HeadOf(Db), "in_progress", reason: "I am sure"), HttpStatusCode.Forbidden);
        var through = await ExpectJsonAsync(await Report(ada, id, Db, Repos.HeadOf(Db), "in_progress", reason: "hotfix for incident 42"), HttpStatusCode.OK);
        Assert.Equal("in_progress", StateOf(through, Db));
        var history = (await ada.GetJsonAsync($"/api/releases/{id}/history")).AsArray();
        var overridden = history.Single(h => (string)h!["action"]! == "freeze-overridden")!;
        Assert.Equal("ada", (string?)overridden["actor"]);
        Assert.Contains("hotfix for incident 42", (string?)overridden["detail"]);
        Assert.Contains("FreezeOverridden", OutboxKinds(id));

        var lifted = await ExpectJsonAsync(await ada.DeleteAsync("/api/freeze"), HttpStatusCode.OK);
        Assert.False((bool)lifted["frozen"]!);
        await ExpectJsonAsync(await Report(ci, id, Db, Repos.HeadOf(Db), "success"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Without_the_deployer_or_dev_lead_role_reports_and_mark_deployed_are_403()
    {
        var id = await ApprovedReleaseAsync(Host);
        using var quinn = await Host.SignedInAsync("quinn", Qa);
        await ExpectProblemAsync(await Report(quinn, id, Db, Repos.HeadOf(Db), "in_progress"), HttpStatusCode.Forbidden);
        var mark = await ExpectProblemAsync(await quinn.PostAsync($"/api/releases/{id}/deploy"), HttpStatusCode.Forbidden);
        Assert.Contains(Deployer, (string?)mark["detail"]);
        await ExpectProblemAsync(await quinn.DeleteAsync("/api/freeze"), HttpStatusCode.Forbidden);

        // A Dev lead may deploy, and "Mark deployed" compares the branches again first.
        using var dana = await Host.SignedInAsync("dana", DevLead);
        var deployed = await ExpectJsonAsync(await dana.PostAsync($"/api/releases/{id}/deploy"), HttpStatusCode.OK);
        Assert.Equal("deployed", (string?)deployed["status"]);
    }

    [Fact]
    public async Task A_pending_release_has_no_plan()
    {
        using var dana = await Host.SignedInAsync("dana", DevLead);
        var id = (string)(await dana.CreateReleaseAsync())["id"]!;
        var problem = await ExpectProblemAsync(await dana.GetAsync($"/api/releases/{id}/plan"), HttpStatusCode.Conflict);
        Assert.Contains("pending", (string?)problem["detail"]);
        await ExpectProblemAsync(await dana.GetAsync("/api/releases/nosuchid0/plan"), HttpStatusCode.NotFound);
    }

    /// <summary>The kinds of the chat notices the release's changes wrote to the outbox, in order.</summary>
    private List<string> OutboxKinds(string id)
    {
        using var connection = new SqliteConnection($"Data Source={Host.DatabasePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT kind FROM chat_outbox WHERE release_id = $id ORDER BY version;";
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        var kinds = new List<string>();
        while (reader.Read())
        {
            kinds.Add(reader.GetString(0));
        }

        return kinds;
    }
}

/// <summary>A freeze window of the settings shows in GET /api/freeze and stops starts like the switch.</summary>
public sealed class FreezeWindowHttpTests() : ServiceOverRepos<ThreeLayerRepos>(ThreeLayerRepos.Create, repos => repos.Source,
    "Releases:Freeze:Windows:0:Cron=* * * * *", "Releases:Freeze:Windows:0:Duration=01:00",
    "Releases:Freeze:Windows:0:TimeZone=Europe/Berlin", "Releases:Freeze:Windows:0:Reason=always frozen (test)")
{
    [Fact]
    public async Task A_window_in_force_freezes_deploys_until_its_end()
    {
        var id = await ApprovedReleaseAsync(Host);
        using var ci = await Host.SignedInAsync("ci", DeployHttpTests.Deployer);
        var status = await ci.GetJsonAsync("/api/freeze");
        Assert.True((bool)status["frozen"]!);
        Assert.Equal("always frozen (test)", (string?)status["reason"]);
        Assert.Null((string?)status["by"]);
        Assert.True(DateTimeOffset.Parse((string)status["until"]!) > DateTimeOffset.UtcNow.AddMinutes(58));
        var window = Assert.Single(status["windows"]!.AsArray())!;
        Assert.Equal("always frozen (test)", (string?)window["reason"]);

        var refused = await ExpectProblemAsync(await ci.PostAsync($"/api/releases/{id}/repos/{Db}/deployment",
            new { sha = Repos.HeadOf(Db), state = "in_progress" }), HttpStatusCode.Conflict);
        Assert.Contains("always frozen (test)", (string?)refused["detail"]);
    }
}
