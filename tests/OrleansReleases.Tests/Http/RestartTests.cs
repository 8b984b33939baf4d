using System.Net;
using Microsoft.Data.Sqlite;
using OrleansReleases.Tests.Support;
using static OrleansReleases.Tests.Support.ApiClient;

namespace OrleansReleases.Tests.Http;

/// <summary>Every acknowledged change survives <c>kill -9</c> of the process.</summary>
[Trait("Category", "Slow")]
public sealed class RestartTests : IDisposable
{
    private readonly TempFolder _folder = TempFolder.Create();

    [Fact]
    public async Task Every_acknowledged_change_is_there_after_kill_9_and_a_restart()
    {
        var repos = TwoChangedRepos.Create(_folder);
        var database = Path.Combine(_folder.Folder("data"), "releases.db");
        var source = repos.Source;

        string id;
        string before;
        using (var first = await ServiceProcess.StartAsync(database, source))
        {
            using var alice = first.Client();
            await alice.SignInAsync("alice");
            using var dana = first.Client();
            await dana.SignInAsync("dana", DevLead);

            id = (string)(await alice.CreateReleaseAsync())["id"]!;
            await ExpectJsonAsync(await alice.PatchAsync($"/api/releases/{id}", new { notes = "Deploy auth first", breakingChanges = "v1 gone" }), HttpStatusCode.OK);
            await ExpectJsonAsync(await alice.PatchAsync($"/api/releases/{id}/repos/api-gateway", new { dependsOn = new[] { "auth-service" } }), HttpStatusCode.OK);
            await ExpectJsonAsync(await dana.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.OK);
            var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => alice.PatchAsync($"/api/releases/{id}", new { notes = $"burst {i}" })));
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            before = (await alice.GetJsonAsync($"/api/releases/{id}")).ToJsonString();

            first.Kill();
        }

        using var second = await ServiceProcess.StartAsync(database, source);
        using var reader = second.Client();
        await reader.SignInAsync("reader");

        var after = await reader.GetJsonAsync($"/api/releases/{id}");
        Assert.Equal(before, after.ToJsonString());
        Assert.Equal(24, (int)after["version"]!);
        Assert.Equal(24, (await reader.GetJsonAsync($"/api/releases/{id}/history")).AsArray().Count);
        var listed = Assert.Single((await reader.GetJsonAsync("/api/releases"))["items"]!.AsArray());
        Assert.True((bool)listed!["devApproved"]!);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
