using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Storage;
using OrleansReleases.Silo.Hosting;
using OrleansReleases.Tests.Support;

namespace OrleansReleases.Tests.Grains;

/// <summary>
/// An Orleans test cluster (one silo) whose release grains persist through Orleans' ADO.NET
/// storage into a real SQLite file, as in production.
/// </summary>
public sealed class SqliteTestCluster : IAsyncDisposable
{
    private const string DatabaseKey = "ReleasesTest:DatabasePath";

    private SqliteTestCluster(TestCluster cluster, SqliteDatabase database)
    {
        Cluster = cluster;
        Database = database;
        Catalog = new SqlReleaseCatalog(database);
    }

    public TestCluster Cluster { get; }

    public SqliteDatabase Database { get; }

    public IReleaseCatalog Catalog { get; }

    public IGrainFactory Grains => Cluster.Client;

    public static async Task<SqliteTestCluster> StartAsync(TempFolder folder)
    {
        var database = new SqliteDatabase(folder.PathOf("releases.db"));
        database.EnsureCreated();

        var builder = new TestClusterBuilder(1);
        builder.Options.ServiceId = StorageNames.ServiceId; // as in production: the catalog finds stored rows by it
        builder.Properties[DatabaseKey] = database.Path;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new SqliteTestCluster(cluster, database);
    }

    /// <summary>Deactivates every grain, so the next call reads its state back from SQLite.</summary>
    public async Task DeactivateAllAsync()
    {
        var management = Cluster.Client.GetGrain<IManagementGrain>(0);
        await management.ForceActivationCollection(TimeSpan.Zero);
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            var database = new SqliteDatabase(silo.Configuration[DatabaseKey]!);
            silo.AddReleasesGrainStorage(database);
            silo.Services.AddSingleton<IReleaseDatabase>(database);
            silo.Services.AddSingleton<IReleaseCatalog, SqlReleaseCatalog>();
            silo.Services.AddSingleton(new ApprovalRoles());
            silo.Services.AddSingleton(TimeProvider.System);
        }
    }
}
