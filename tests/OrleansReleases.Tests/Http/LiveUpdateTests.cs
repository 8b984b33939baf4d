using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using OrleansReleases.Tests.Support;
using static OrleansReleases.Tests.Support.ApiClient;

namespace OrleansReleases.Tests.Http;

/// <summary>Changes reach open browsers through the events grain and the SignalR hub.</summary>
public sealed class LiveUpdateTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private readonly ServiceHost _host = fixture.Host;

    [Fact]
    public async Task A_change_by_one_user_reaches_another_users_open_release_and_list()
    {
        using var watcher = await _host.SignedInAsync("watcher");
        using var dana = await _host.SignedInAsync("dana", DevLead);
        var id = (string)(await watcher.CreateReleaseAsync())["id"]!;
        await using var hub = await HubListener.ConnectAsync(_host.BaseAddress, watcher);
        await hub.Connection.InvokeAsync("JoinRelease", id);

        await ExpectJsonAsync(await dana.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.OK);

        // The creation may be heard after joining too (nothing orders it before the join): wait for the approval.
        var changed = await hub.NextAsync("releaseChanged", r => (string?)r["id"] == id && (int)r["version"]! > 1);
        Assert.Equal("dana", (string?)changed["devApproval"]!["by"]);
        Assert.Equal(2, (int)changed["version"]!);
        var row = await hub.NextAsync("releaseListChanged", r => (string?)r["id"] == id && (bool)r["devApproved"]!);
        Assert.Equal(3, (int)row["repoCount"]!);
    }

    [Fact]
    public async Task Only_browsers_that_joined_a_release_hear_its_changes()
    {
        using var alice = await _host.SignedInAsync("alice");
        var watched = (string)(await alice.CreateReleaseAsync())["id"]!;
        var other = (string)(await alice.CreateReleaseAsync())["id"]!;
        await using var hub = await HubListener.ConnectAsync(_host.BaseAddress, alice);
        await hub.Connection.InvokeAsync("JoinRelease", watched);

        await alice.PatchAsync($"/api/releases/{other}", new { notes = "not watched" });
        await alice.PatchAsync($"/api/releases/{watched}", new { notes = "watched" });

        // Events arrive in order on one connection: the first change after a creation is the watched one
        // (the creation of the watched release itself may be heard after joining).
        var first = await hub.NextAsync("releaseChanged", r => (int)r["version"]! > 1);
        Assert.Equal(watched, (string?)first["id"]);
        Assert.Null(first["notes"]); // the event says which version exists; the release is fetched for the whole
        Assert.Equal("watched", (string?)(await alice.GetJsonAsync($"/api/releases/{watched}"))["notes"]);
    }

    [Fact]
    public async Task Creating_a_release_reports_comparison_progress_to_the_browser_that_asked()
    {
        using var alice = await _host.SignedInAsync("alice");
        await using var hub = await HubListener.ConnectAsync(_host.BaseAddress, alice);
        var progressId = Guid.NewGuid().ToString("N");
        await hub.Connection.InvokeAsync("WatchProgress", progressId);

        var request = new HttpRequestMessage(HttpMethod.Post, "/api/releases") { Content = JsonContent.Create(new { sourceBranch = "uat", destBranch = "master" }) };
        request.Headers.Add("X-Progress-Id", progressId);
        await ExpectJsonAsync(await alice.Http.SendAsync(request), HttpStatusCode.Created);

        var done = await hub.NextAsync("compareProgress", p => (int)p["compared"]! == (int)p["total"]!);
        Assert.Equal(progressId, (string?)done["progressId"]);
        Assert.Equal(LocalRepoCount(), (int)done["total"]!);
    }

    [Fact]
    public async Task The_hub_needs_sign_in()
    {
        using var anonymous = _host.Client();
        var connection = new HubConnectionBuilder().WithUrl(new Uri(_host.BaseAddress, "/hubs/releases")).Build();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    private int LocalRepoCount() => OrleansReleases.Grains.Sources.LocalGitSource.FindRepositories(fixture.ReposRoot).Count;
}
