using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Data.Sqlite;
using OrleansReleases.Tests.Support;
using static OrleansReleases.Tests.Support.ApiClient;

namespace OrleansReleases.Tests.Http;

/// <summary>Two processes form a cluster on a real PostgreSQL: browsers on either hear what happens through the other; one dies and the other serves everything.</summary>
[Trait("Category", "Slow")]
public sealed class ClusterTests : IDisposable
{
    private readonly TempFolder _folder = TempFolder.Create();

    [Fact]
    public async Task Two_silos_share_releases_freezes_and_sign_outs_live_and_the_survivor_serves_everything_after_kill_9()
    {
        using var postgres = PostgresServer.Start();
        postgres.CreateDatabase("releases");
        var repos = TwoChangedRepos.Create(_folder);
        await using var chat = await OrleansReleases.Fakes.FakeMattermost.StartAsync();
        string[] settings =
        [
            $"Releases:Cluster:PostgreSql={postgres.ConnectionString("releases")}", repos.Source,
            $"Mattermost:Url={chat.Url}", $"Mattermost:Token={OrleansReleases.Fakes.FakeMattermost.Token}", $"Mattermost:BotName={OrleansReleases.Fakes.FakeMattermost.BotName}",
        ];

        using var first = await ServiceProcess.StartAsync(Path.Combine(_folder.Folder("a"), "unused.db"), settings);
        using var second = await ServiceProcess.StartAsync(Path.Combine(_folder.Folder("b"), "unused.db"), settings);

        using var alice = first.Client();
        await alice.SignInAsync("alice", DevLead);
        using var quinn = second.Client();
        await quinn.SignInAsync("quinn", Qa);
        var id = (string)(await alice.CreateReleaseAsync())["id"]!;

        // A browser on the second silo watches the release; the change is made through the first.
        await using var hub = await HubListener.ConnectAsync(second.BaseAddress, quinn);
        await hub.Connection.InvokeAsync("JoinRelease", id);
        await ExpectJsonAsync(await alice.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.OK);
        // The creation may be heard after joining too (nothing orders it before the join): wait for the approval.
        var live = await hub.NextAsync("releaseChanged", r => (string?)r["id"] == id && (int)r["version"]! == 2);
        Assert.Equal("alice", (string?)live["devApproval"]!["by"]);

        await ExpectJsonAsync(await quinn.PostAsync($"/api/releases/{id}/approve/qa"), HttpStatusCode.OK);
        await ExpectJsonAsync(await alice.PatchAsync($"/api/releases/{id}", new { notes = "acknowledged before the crash" }), HttpStatusCode.OK);
        var before = (await quinn.GetJsonAsync($"/api/releases/{id}")).ToJsonString();
        Assert.Single((await quinn.GetJsonAsync("/api/releases"))["items"]!.AsArray());

        // Both silos hear every chat message; the bot grain lets exactly one of them answer.
        await chat.WaitUntilAsync(c => c.Authentications >= 2, "both silos connect to Mattermost");
        var firstCommand = await chat.UserPostsAsync("channel", "bob", "@pusheen help");
        var secondCommand = await chat.UserPostsAsync("channel", "bob", "@pusheen releases");
        await chat.WaitUntilAsync(c => Chat.ChatScenario.ReplyTo(c, firstCommand) is not null && Chat.ChatScenario.ReplyTo(c, secondCommand) is not null, "both answers");
        Assert.Single(chat.Posts(), p => (string?)p["root_id"] == firstCommand);
        Assert.Single(chat.Posts(), p => (string?)p["root_id"] == secondCommand);

        // A freeze set through the first silo reaches the browser on the second.
        using var ada = first.Client();
        await ada.SignInAsync("ada", "release-admin");
        await ExpectJsonAsync(await ada.SendRawAsync(HttpMethod.Put, "/api/freeze", "{\"reason\":\"incident 42\"}"), HttpStatusCode.OK);
        var frozen = await hub.NextAsync("freezeChanged");
        Assert.Equal(("incident 42", "ada"), ((string?)frozen["reason"], (string?)frozen["by"]));

        // Signing out through the first silo closes the person's live connection on the second, and only theirs.
        await using (var aliceHub = await HubListener.ConnectAsync(second.BaseAddress, alice))
        {
            var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            aliceHub.Connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
            await alice.GetAsync("/auth/logout");
            await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.Equal(HubConnectionState.Connected, hub.Connection.State);

        first.Kill();

        // Until the cluster notices the death, calls routed to the dead silo answer 503; then all is served.
        var after = await EventuallyAsync(() => quinn.GetAsync($"/api/releases/{id}"));
        Assert.Equal(before, after);
        Assert.Equal(4, (await quinn.GetJsonAsync($"/api/releases/{id}/history")).AsArray().Count);
        await ExpectJsonAsync(await quinn.PatchAsync($"/api/releases/{id}", new { breakingChanges = "after the crash" }), HttpStatusCode.OK);
    }

    /// <summary>Retries while the service answers 503 (at most 90 s), then returns the 200 body.</summary>
    private static async Task<string> EventuallyAsync(Func<Task<HttpResponseMessage>> request)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var response = await request();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!.ToJsonString();
            }

            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline,
                $"Expected 200 (or 503 while the cluster recovers), got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(TimeSpan.FromSeconds(1)); // the service asked for a retry (Retry-After)
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
