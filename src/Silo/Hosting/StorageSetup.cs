using OrleansReleases.Grains;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Silo.Hosting;

/// <summary>
/// Where state lives. One node keeps everything in one SQLite file (<c>Releases:DatabasePath</c>):
/// Orleans' ADO.NET grain storage, the release index and the history. This is the one place that
/// chooses the storage, so a PostgreSQL choice for clusters slots in here.
/// </summary>
public static class StorageSetup
{
    public static SqliteDatabase AddReleasesStorage(this WebApplicationBuilder builder, ReleasesOptions options)
    {
        var database = new SqliteDatabase(options.DatabasePath);
        database.EnsureCreated();
        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton<IReleaseCatalog, SqliteReleaseCatalog>();
        return database;
    }

    public static ISiloBuilder AddReleasesGrainStorage(this ISiloBuilder silo, SqliteDatabase database) =>
        silo.AddAdoNetGrainStorage(StorageNames.Provider, storage =>
        {
            storage.Invariant = StorageNames.SqliteInvariant;
            storage.ConnectionString = database.ConnectionString;
            storage.GrainStorageSerializer = new StateJsonSerializer();
        });
}
