using Microsoft.Data.Sqlite;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Tests.Support;

/// <summary>
/// The release database of a test that runs on both kinds (<c>[InlineData("sqlite")]</c>,
/// <c>[InlineData("postgres")]</c>): a SQLite file in a temporary folder, or a real PostgreSQL
/// started for the test; either schema created twice, as every start does. Disposing stops and
/// removes whatever was started.
/// </summary>
public sealed class TestDatabases : IDisposable
{
    private readonly TempFolder _folder = TempFolder.Create();
    private PostgresServer? _postgres;

    public IReleaseDatabase Open(string kind)
    {
        IReleaseDatabase database;
        if (kind == "postgres")
        {
            _postgres ??= PostgresServer.Start();
            _postgres.CreateDatabase("releases");
            database = new PostgresDatabase(_postgres.ConnectionString("releases"));
        }
        else
        {
            database = new SqliteDatabase(_folder.PathOf("releases.db"));
        }

        database.EnsureCreated();
        database.EnsureCreated(); // safe on every start
        return database;
    }

    public void Dispose()
    {
        _postgres?.Dispose();
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
