using System.Net;
using Microsoft.Data.Sqlite;
using OrleansReleases.Silo.Hosting;
using OrleansReleases.Tests.Support;
using static OrleansReleases.Tests.Support.ApiClient;

namespace OrleansReleases.Tests.Http;

/// <summary>How the service starts with no source, on demo data, and where the development login may listen.</summary>
public sealed class ServiceModeTests : IDisposable
{
    private readonly TempFolder _folder = TempFolder.Create();

    [Fact]
    public async Task Without_a_source_it_starts_and_creating_a_release_is_409_naming_the_setting()
    {
        await using var host = await ServiceHost.StartAsync(_folder.Folder("data"));
        using var alice = await host.SignedInAsync("alice");

        var problem = await ExpectProblemAsync(
            await alice.PostAsync("/api/releases", new { sourceBranch = "uat", destBranch = "master" }), HttpStatusCode.Conflict);

        Assert.Contains("Releases:Sources:LocalGit:Root", (string?)problem["detail"]);
        Assert.Empty((await alice.GetJsonAsync("/api/releases"))["items"]!.AsArray());
    }

    [Fact]
    public async Task On_demo_data_it_says_so_and_a_release_can_be_created_at_once()
    {
        var data = _folder.Folder("data");
        await using var host = await ServiceHost.StartAsync(data, "--demo");
        using var alice = await host.SignedInAsync("alice");

        Assert.True((bool)(await alice.GetJsonAsync("/api/me"))["demo"]!);
        var release = await alice.CreateReleaseAsync("uat", "master");

        var names = release["repos"]!.AsArray().Select(r => (string)r!["name"]!).ToList();
        Assert.Contains("auth-service", names);
        Assert.DoesNotContain("billing-service", names); // its uat has nothing master lacks
        Assert.True(Directory.Exists(Path.Combine(data, "demo-repos")));
    }

    [Fact]
    public async Task On_demo_data_the_first_start_creates_one_release_uat_to_master_and_a_restart_keeps_it_the_only_one()
    {
        var data = _folder.Folder("data");
        string id;
        await using (var first = await ServiceHost.StartAsync(data, "--demo"))
        {
            using var alice = await first.SignedInAsync("alice");
            var listed = Assert.Single((await alice.GetJsonAsync("/api/releases"))["items"]!.AsArray());
            Assert.Equal(("uat", "master"), ((string?)listed!["sourceBranch"], (string?)listed["destBranch"]));
            id = (string)listed["id"]!;

            var release = await alice.GetJsonAsync($"/api/releases/{id}");
            Assert.False(string.IsNullOrWhiteSpace((string?)release["notes"]));
            var dependent = Assert.Single(release["repos"]!.AsArray(), r => r!["dependsOn"]!.AsArray().Count > 0);
            Assert.Equal("user-service", (string?)dependent!["name"]);
            Assert.Equal(["auth-service"], dependent["dependsOn"]!.AsArray().Select(d => (string)d!));
            Assert.Equal("system", (string?)release["createdBy"]);
        }

        await using var second = await ServiceHost.StartAsync(data, "--demo");
        using var reader = await second.SignedInAsync("reader");
        var again = Assert.Single((await reader.GetJsonAsync("/api/releases"))["items"]!.AsArray());
        Assert.Equal(id, (string?)again!["id"]);
        Assert.Equal(2, (int)(await reader.GetJsonAsync($"/api/releases/{id}"))["version"]!);
    }

    [Fact]
    public async Task The_development_login_refuses_to_listen_beyond_loopback_unless_allowed()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ReleasesApplication.BuildAsync(["--urls=http://0.0.0.0:5999", $"--Releases:DatabasePath={_folder.PathOf("x.db")}"]));

        Assert.Contains("Auth:AllowDevelopmentLogin", error.Message);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
