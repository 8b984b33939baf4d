using Microsoft.Data.Sqlite;
using OrleansReleases.Fakes;
using OrleansReleases.Tests.Support;

namespace OrleansReleases.Tests.GitHub;

/// <summary>
/// The real service with both sources on: the fake GitHub organisation "acme" and a folder of
/// local git repositories, webhook on, GitHub settings at their defaults (GraphQL batching).
/// <list type="bullet">
/// <item>GitHub auth-service: 2 commits on uat (alice, Bob Okafor with no GitHub user), an open pull request uat → master</item>
/// <item>GitHub api-gateway: 1 commit on uat (carol)</item>
/// <item>GitHub billing: no uat branch</item>
/// <item>local auth-service (the same name as on GitHub): 1 commit on uat; local local-tool: 1 commit on uat</item>
/// </list>
/// Tests that change the fake use branches of their own, since a push refreshes every open
/// release of its branch.
/// </summary>
public sealed class GitHubServiceFixture : IAsyncLifetime
{
    public const string Token = GitHubSourceHarness.Token;
    public const string WebhookSecret = "whsec-0123456789";

    private readonly TempFolder _folder = TempFolder.Create();

    public FakeGitHub GitHub { get; private set; } = null!;

    public ServiceHost Host { get; private set; } = null!;

    public Uri WebhookUrl => new(Host.BaseAddress, "/webhooks/github");

    public async Task InitializeAsync()
    {
        GitHub = await FakeGitHub.StartAsync("acme", Token);
        var auth = GitHub.AddRepo("auth-service").Branch("uat").Commit("uat", "Alice Moreau", "alice").Commit("uat", "Bob Okafor");
        auth.OpenPullRequest("uat", "master");
        GitHub.AddRepo("api-gateway").Branch("uat").Commit("uat", "Carol Jensen", "carol");
        GitHub.AddRepo("billing");

        var root = _folder.Folder("repos");
        GitRepoBuilder.Init(root, "auth-service").Commit("Dave", "Initial").Branch("uat").Checkout("uat").Commit("Dave", "Local change");
        GitRepoBuilder.Init(root, "local-tool").Commit("Erin", "Initial").Branch("uat").Checkout("uat").Commit("Erin", "Tooling");

        Host = await ServiceHost.StartAsync(_folder.Folder("data"),
            $"Releases:GitHub:Organization=acme",
            $"Releases:GitHub:Token={Token}",
            $"Releases:GitHub:ApiUrl={GitHub.ApiUrl}",
            $"Releases:GitHub:WebhookSecret={WebhookSecret}",
            "Releases:GitHub:RetryDelay=00:00:00.010",
            $"Releases:Sources:LocalGit:Root={root}");
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await GitHub.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
