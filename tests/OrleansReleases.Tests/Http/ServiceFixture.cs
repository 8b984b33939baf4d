using Microsoft.Data.Sqlite;
using OrleansReleases.Tests.Support;

namespace OrleansReleases.Tests.Http;

/// <summary>
/// The real service over a folder of real git repositories made for the test:
/// <list type="bullet">
/// <item>auth-service: 2 commits on uat not on master (Alice, Bob)</item>
/// <item>api-gateway: 1 commit (Carol)</item>
/// <item>user-service: 3 commits (Bob, Dave, Bob), a bare repository "user-service.git"</item>
/// <item>billing-service: uat equals master, so no changes</item>
/// <item>legacy-svc: has no uat branch</item>
/// </list>
/// Tests share the service and each creates its own releases.
/// </summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    private readonly TempFolder _folder = TempFolder.Create();

    public ServiceHost Host { get; private set; } = null!;

    public string ReposRoot => _folder.PathOf("repos");

    public GitRepo Auth { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var root = _folder.Folder("repos");
        var work = _folder.Folder("work");

        Auth = GitRepoBuilder.Init(root, "auth-service").Commit("Alice", "Initial auth")
            .Branch("uat").Checkout("uat").Commit("Alice", "Token refresh").Commit("Bob", "Rotate keys");
        GitRepoBuilder.Init(root, "api-gateway").Commit("Carol", "Initial gateway")
            .Branch("uat").Checkout("uat").Commit("Carol", "Route /auth/refresh");
        GitRepoBuilder.Init(work, "user-service").Commit("Bob", "Initial users")
            .Branch("uat").Checkout("uat").Commit("Bob", "Sessions").Commit("Dave", "Paging").Commit("Bob", "Emails")
            .CloneBare(root, "user-service.git");
        GitRepoBuilder.Init(root, "billing-service").Commit("Frank", "Initial billing").Branch("uat");
        GitRepoBuilder.Init(root, "legacy-svc").Commit("Erin", "Old code");

        Host = await ServiceHost.StartAsync(_folder.Folder("data"), $"Releases:Sources:LocalGit:Root={root}");
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
