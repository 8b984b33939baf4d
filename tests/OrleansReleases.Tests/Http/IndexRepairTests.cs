using Microsoft.Data.Sqlite;
using OrleansReleases.Grains.Storage;
using OrleansReleases.Tests.Support;

namespace OrleansReleases.Tests.Http;

/// <summary>A crash between the state write and the index write is repaired when the service starts again.</summary>
public sealed class IndexRepairTests : IDisposable
{
    private readonly TempFolder _folder = TempFolder.Create();

    [Fact]
    public async Task Releases_missing_from_the_index_and_history_are_restored_at_start_up()
    {
        var repos = TwoChangedRepos.Create(_folder);
        var data = _folder.Folder("data");
        var source = repos.Source;

        string id;
        await using (var first = await ServiceHost.StartAsync(data, source))
        {
            using var alice = await first.SignedInAsync("alice");
            id = (string)(await alice.CreateReleaseAsync())["id"]!;
            await alice.PatchAsync($"/api/releases/{id}", new { notes = "kept" });
        }

        // What a crash right after the grain-state write leaves behind: state at version 2, no index row, history at 1.
        var database = new SqliteDatabase(Path.Combine(data, "releases.db"));
        using (var connection = database.Open())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "DELETE FROM release_index; DELETE FROM release_history WHERE version = 2;";
            command.ExecuteNonQuery();
        }

        await using var second = await ServiceHost.StartAsync(data, source);
        using var reader = await second.SignedInAsync("reader");

        var listed = Assert.Single((await reader.GetJsonAsync("/api/releases?search=kept"))["items"]!.AsArray());
        Assert.Equal(id, (string?)listed!["id"]);
        var history = (await reader.GetJsonAsync($"/api/releases/{id}/history")).AsArray();
        Assert.Equal(["created", "text-edited"], history.Select(h => (string)h!["action"]!));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
