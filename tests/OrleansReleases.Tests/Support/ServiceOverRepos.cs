using Microsoft.Data.Sqlite;

namespace OrleansReleases.Tests.Support;

/// <summary>
/// A test class over the real service (in this process, development login) on git repositories
/// made for it: <paramref name="makeRepos"/> makes them and the service starts on them before each
/// test, with <paramref name="settings"/> besides; both are gone after it.
/// </summary>
public abstract class ServiceOverRepos<TRepos>(Func<TempFolder, TRepos> makeRepos, Func<TRepos, string> source, params string[] settings)
    : IAsyncLifetime
{
    private readonly TempFolder _folder = TempFolder.Create();

    protected TRepos Repos { get; private set; } = default!;

    protected ServiceHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Repos = makeRepos(_folder);
        Host = await ServiceHost.StartAsync(_folder.Folder("data"), [source(Repos), .. settings]);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
