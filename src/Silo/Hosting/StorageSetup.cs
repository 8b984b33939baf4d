using OrleansReleases.Grains;
using OrleansReleases.Grains.Chat;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Silo.Hosting;

/// <summary>
/// Where state lives, and how silos find each other. One node (the default) keeps everything in
/// one SQLite file (<c>Releases:DatabasePath</c>) and clusters with itself on localhost. With
/// <c>Releases:Cluster:PostgreSql</c> set, membership, grain state, the index, the history and the
/// outbox all move to that PostgreSQL database, shared by every silo. This is the one place that
/// makes the choice.
/// </summary>
public static class StorageSetup
{
    public static IReleaseDatabase AddReleasesStorage(this WebApplicationBuilder builder, ReleasesOptions options)
    {
        IReleaseDatabase database = options.Cluster.UsesPostgreSql
            ? new PostgresDatabase(options.Cluster.PostgreSql!)
            : new SqliteDatabase(options.DatabasePath);
        database.EnsureCreated();
        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton<IReleaseCatalog, SqlReleaseCatalog>();
        builder.Services.AddSingleton<IChatOutbox, SqlChatOutbox>();
        DatabaseKeyRepository.AddTo(builder.Services, database);
        return database;
    }

    public static ISiloBuilder AddReleasesClustering(this ISiloBuilder silo, IReleaseDatabase database, ReleasesClusterOptions cluster)
    {
        var (siloPort, gatewayPort) = (cluster.SiloPort, cluster.GatewayPort);
        if (database is SqliteDatabase)
        {
            return silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: StorageNames.ServiceId, clusterId: StorageNames.ServiceId);
        }

        silo.Configure<Orleans.Configuration.ClusterOptions>(options =>
        {
            options.ServiceId = StorageNames.ServiceId;
            options.ClusterId = StorageNames.ServiceId;
        });
        silo.ConfigureEndpoints(System.Net.IPAddress.Loopback, siloPort, gatewayPort, listenOnAnyHostAddress: false);
        if (cluster.AdvertisedAddress is { Length: > 0 } advertised)
        {
            silo.Configure<Orleans.Configuration.EndpointOptions>(options => options.AdvertisedIPAddress = System.Net.IPAddress.Parse(advertised));
        }

        return silo.UseAdoNetClustering(options =>
        {
            options.Invariant = database.Invariant;
            options.ConnectionString = database.ConnectionString;
        });
    }

    public static ISiloBuilder AddReleasesGrainStorage(this ISiloBuilder silo, IReleaseDatabase database) =>
        silo.AddAdoNetGrainStorage(StorageNames.Provider, storage =>
        {
            storage.Invariant = database.Invariant;
            storage.ConnectionString = database.ConnectionString;
            storage.GrainStorageSerializer = new StateJsonSerializer();
        });
}
