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

    /// <summary>
    /// No Orleans gateway: the web host lives in the silo, so no Orleans client ever needs one, and
    /// a gateway would let whoever reaches it call grains directly, past sign-in. The silo port
    /// listens on loopback on one node, and on <c>Releases:Cluster:AdvertisedAddress</c> in a
    /// cluster, with TLS between silos when <c>Releases:Cluster:Certificate</c> is set.
    /// </summary>
    public static ISiloBuilder AddReleasesClustering(this ISiloBuilder silo, IReleaseDatabase database, ReleasesClusterOptions cluster)
    {
        const int NoGateway = 0;
        if (database is SqliteDatabase)
        {
            // Advertised (and so listening) on 127.0.0.1 only.
            return silo.UseLocalhostClustering(cluster.SiloPort, NoGateway, serviceId: StorageNames.ServiceId, clusterId: StorageNames.ServiceId);
        }

        silo.Configure<Orleans.Configuration.ClusterOptions>(options =>
        {
            options.ServiceId = StorageNames.ServiceId;
            options.ClusterId = StorageNames.ServiceId;
        });
        var advertised = string.IsNullOrWhiteSpace(cluster.AdvertisedAddress)
            ? System.Net.IPAddress.Loopback
            : System.Net.IPAddress.Parse(cluster.AdvertisedAddress);
        silo.ConfigureEndpoints(advertised, cluster.SiloPort, NoGateway, listenOnAnyHostAddress: false);
        if (!string.IsNullOrWhiteSpace(cluster.Certificate))
        {
            var certificate = SiloTls.Load(cluster);
            silo.UseTls(certificate, options => SiloTls.Configure(options, certificate));
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
