using System.Net;
using Microsoft.Data.Sqlite;
using OrleansReleases.Tests.Support;
using static OrleansReleases.Tests.Support.ApiClient;

namespace OrleansReleases.Tests.Http;

/// <summary><c>kill -9</c> in the middle of a burst of concurrent changes loses nothing that was acknowledged.</summary>
[Trait("Category", "Slow")]
public sealed class CrashTests : IDisposable
{
    private readonly TempFolder _folder = TempFolder.Create();

    [Fact]
    public async Task Every_change_answered_2xx_before_kill_9_mid_burst_is_there_after_restart_and_nothing_is_half_written()
    {
        var repos = TwoChangedRepos.Create(_folder);
        var database = Path.Combine(_folder.Folder("data"), "releases.db");
        var source = repos.Source;

        string id;
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<string>();
        using (var service = await ServiceProcess.StartAsync(database, source))
        {
            using var alice = service.Client();
            await alice.SignInAsync("alice");
            id = (string)(await alice.CreateReleaseAsync())["id"]!;

            // Eight writers edit the notes in a loop; the process is killed once 100 edits were answered.
            using var enough = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
            {
                for (var i = 0; !enough.IsCancellationRequested; i++)
                {
                    var text = $"writer {writer} edit {i}";
                    try
                    {
                        var response = await alice.PatchAsync($"/api/releases/{id}", new { notes = text });
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            acknowledged.Add(text);
                            if (acknowledged.Count >= 100)
                            {
                                enough.Cancel();
                            }
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the process is gone
                    }
                }
            })).ToList();

            await Task.WhenAny(Task.WhenAll(writers), Task.Delay(Timeout.Infinite, enough.Token).ContinueWith(_ => { }));
            service.Kill(); // while the other writers' requests are still in flight
            await Task.WhenAll(writers);
        }

        using var restarted = await ServiceProcess.StartAsync(database, source);
        using var reader = restarted.Client();
        await reader.SignInAsync("reader");
        var release = await reader.GetJsonAsync($"/api/releases/{id}");
        var history = (await reader.GetJsonAsync($"/api/releases/{id}/history")).AsArray();

        // Every acknowledged edit is a history entry; the history has one entry per version, no gaps.
        var version = (int)release["version"]!;
        Assert.True(version >= 1 + acknowledged.Count, $"version {version} but {acknowledged.Count} edits were acknowledged");
        Assert.Equal(Enumerable.Range(1, version), history.Select(h => (int)h!["version"]!));
        Assert.Equal(version - 1, history.Count(h => (string?)h!["action"] == "text-edited"));
        // The stored notes are the last edit the history shows, whole.
        Assert.StartsWith("writer ", (string?)release["notes"]);
        Assert.Single((await reader.GetJsonAsync("/api/releases"))["items"]!.AsArray());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
