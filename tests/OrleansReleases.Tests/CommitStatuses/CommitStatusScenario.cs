using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using OrleansReleases.Fakes;
using OrleansReleases.Tests.Sources;
using OrleansReleases.Tests.Support;

namespace OrleansReleases.Tests.CommitStatuses;

/// <summary>
/// The fake GitHub organisation "acme" and a folder of local git repos, with the settings that run
/// the service against them (token set, so commit statuses are on by default):
/// GitHub auth-service (2 commits on uat), GitHub api-gateway (1 commit on uat), GitHub billing
/// (no uat); local auth-service (a name GitHub has too) and local-tool, 1 commit on uat each.
/// </summary>
internal sealed class CommitStatusScenario : IAsyncDisposable
{
    public const string Token = "ghp_STATUStoken0123456789abcdefghijklmn";
    public const string BaseUrl = "https://releases.example.com";
    public const string Context = "release-gate/master";

    private CommitStatusScenario(TempFolder folder, FakeGitHub gitHub, string[] settings)
    {
        Folder = folder;
        GitHub = gitHub;
        Settings = settings;
    }

    public TempFolder Folder { get; }

    public FakeGitHub GitHub { get; }

    public string[] Settings { get; }

    public string DatabasePath => Path.Combine(Folder.Folder("data"), "releases.db");

    public static async Task<CommitStatusScenario> StartAsync()
    {
        var folder = TempFolder.Create();
        var gitHub = await FakeGitHub.StartAsync("acme", Token);
        gitHub.AddRepo("auth-service").Branch("uat").Commit("uat", "Alice Moreau", "alice").Commit("uat", "Bob Okafor")
            .OpenPullRequest("uat", "master");
        gitHub.AddRepo("api-gateway").Branch("uat").Commit("uat", "Carol Jensen", "carol");
        gitHub.AddRepo("billing");

        var root = folder.Folder("repos");
        GitRepoBuilder.Init(root, "auth-service").Commit("Dave", "Initial").Branch("uat").Checkout("uat").Commit("Dave", "Local change");
        GitRepoBuilder.Init(root, "local-tool").Commit("Erin", "Initial").Branch("uat").Checkout("uat").Commit("Erin", "Tooling");

        return new CommitStatusScenario(folder, gitHub,
        [
            "Releases:GitHub:Organization=acme",
            $"Releases:GitHub:Token={Token}",
            $"Releases:GitHub:ApiUrl={gitHub.ApiUrl}",
            "Releases:GitHub:RetryDelay=00:00:00.010",
            $"Releases:BaseUrl={BaseUrl}",
            $"Releases:Sources:LocalGit:Root={root}",
        ]);
    }

    public Task<ServiceHost> StartServiceAsync(params string[] more) => ServiceHost.StartAsync(Folder.Folder("data"), [.. Settings, .. more]);

    public string HeadOf(string repo, string branch = "uat") => GitHub.Repo(repo).HeadOf(branch);

    /// <summary>Waits until the latest status of the commit in <see cref="Context"/> has <paramref name="state"/> (and <paramref name="description"/>, if given).</summary>
    public Task WaitForAsync(string repo, string sha, string state, string? description = null) =>
        GitHub.WaitForStatusesAsync(g => g.LatestStatus(repo, sha, Context) is { } s && s.State == state
            && (description is null || s.Description == description), $"{repo}@{sha[..7]} to be {state} ({description})");

    /// <summary>GitHub's combined status of <paramref name="reference"/>, read over HTTP as a client would.</summary>
    public async Task<JsonNode> CombinedStatusAsync(string repo, string reference)
    {
        using var http = new HttpClient { BaseAddress = GitHub.ApiUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", Token);
        http.DefaultRequestHeaders.UserAgent.ParseAdd("OrleansReleases.Tests");
        return JsonNode.Parse(await http.GetStringAsync($"repos/acme/{repo}/commits/{reference}/status"))!;
    }

    /// <summary>The single status in <see cref="Context"/> of the combined status, after checking the combined state.</summary>
    public async Task<JsonNode> GateAsync(string repo, string reference, string combinedState)
    {
        var combined = await CombinedStatusAsync(repo, reference);
        Assert.Equal(combinedState, (string?)combined["state"]);
        return combined["statuses"]!.AsArray().Single(s => (string?)s!["context"] == Context)!;
    }

    /// <summary>The release's row of the commit-status outbox: (version, delivered_version, attempts).</summary>
    public (long Version, long Delivered, long Attempts)? OutboxRow(string releaseId)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, delivered_version, attempts FROM commit_status_outbox WHERE release_id = $id;";
        command.Parameters.AddWithValue("$id", releaseId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)) : null;
    }

    public async ValueTask DisposeAsync()
    {
        GitHub.ReleaseStatusPosts();
        await GitHub.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Folder.Dispose();
    }
}
