using Microsoft.Data.Sqlite;
using OrleansReleases.Grains.Storage;
using OrleansReleases.Tests.Support;

namespace OrleansReleases.Tests.Storage;

/// <summary>The schema the service makes on first start, and the Orleans storage queries it installs.</summary>
public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly TempFolder _folder = TempFolder.Create();

    private SqliteDatabase CreateDatabase()
    {
        var database = new SqliteDatabase(_folder.PathOf("nested/folder/releases.db"));
        database.EnsureCreated();
        return database;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    [Fact]
    public void The_schema_is_created_once_in_WAL_mode_and_a_second_start_keeps_the_data()
    {
        var database = CreateDatabase();
        using (var connection = database.Open())
        {
            Scalar(connection, "INSERT INTO release_history (release_id, version, at, actor, action, detail) VALUES ('r1', 1, '2026-11-24T10:00:00.000Z', 'alice', 'created', 'x');");
        }

        database.EnsureCreated();

        using var reopened = database.Open();
        Assert.Equal("wal", Scalar(reopened, "PRAGMA journal_mode;"));
        Assert.Equal(1L, Scalar(reopened, "SELECT count(*) FROM release_history;"));
        Assert.Equal(3L, Scalar(reopened, "SELECT count(*) FROM OrleansQuery;"));
        Assert.Equal(1L, Scalar(reopened, "SELECT count(*) FROM sqlite_master WHERE name = 'OrleansStorage';"));
    }

    [Fact]
    public void A_history_table_made_before_actor_ids_gains_the_column_and_keeps_its_rows()
    {
        var path = _folder.PathOf("old/releases.db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var old = new SqliteConnection($"Data Source={path}"))
        {
            old.Open();
            Scalar(old, """
                CREATE TABLE release_history (release_id TEXT NOT NULL, version INTEGER NOT NULL, at TEXT NOT NULL,
                    actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL, PRIMARY KEY (release_id, version)) WITHOUT ROWID;
                INSERT INTO release_history VALUES ('r1', 1, '2026-11-24T10:00:00.000Z', 'alice', 'created', 'x');
                """);
        }

        var database = new SqliteDatabase(path);
        database.EnsureCreated();
        database.EnsureCreated(); // idempotent

        using var connection = database.Open();
        Assert.Equal(1L, Scalar(connection, "SELECT count(*) FROM pragma_table_info('release_history') WHERE name = 'actor_id';"));
        Assert.Equal(DBNull.Value, Scalar(connection, "SELECT actor_id FROM release_history WHERE release_id = 'r1';"));
        Scalar(connection, "INSERT INTO release_history VALUES ('r1', 2, '2026-11-24T10:01:00.000Z', 'alice', 'edited', 'y', 'dev:alice', NULL);");
        Assert.Equal("dev:alice", Scalar(connection, "SELECT actor_id FROM release_history WHERE version = 2;"));
    }

    [Fact]
    public void A_history_table_made_before_changes_were_kept_gets_the_changes_column_and_keeps_its_rows()
    {
        var database = CreateDatabase();
        using (var connection = database.Open())
        {
            Scalar(connection, "DROP TABLE release_history;");
            Scalar(connection, """
                CREATE TABLE release_history (release_id TEXT NOT NULL, version INTEGER NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL,
                    action TEXT NOT NULL, detail TEXT NOT NULL, PRIMARY KEY (release_id, version)) WITHOUT ROWID;
                """);
            Scalar(connection, "INSERT INTO release_history VALUES ('r1', 1, '2026-11-24T10:00:00.000Z', 'alice', 'created', 'x');");
        }

        database.EnsureCreated();
        database.EnsureCreated(); // and again: the column is added once

        using var reopened = database.Open();
        Assert.Equal(1L, Scalar(reopened, "SELECT count(*) FROM pragma_table_info('release_history') WHERE name = 'changes';"));
        Assert.Equal(DBNull.Value, Scalar(reopened, "SELECT changes FROM release_history WHERE release_id = 'r1';"));
    }

    /// <summary>Runs the installed WriteToStorageKey query the way Orleans does and returns what Orleans reads.</summary>
    private static List<long?> Write(SqliteConnection connection, int? expectedVersion, string payload)
    {
        using var command = connection.CreateCommand();
        command.CommandText = (string)Scalar(connection, "SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'WriteToStorageKey';")!;
        command.Parameters.AddWithValue("GrainIdHash", 7);
        command.Parameters.AddWithValue("GrainIdN0", 0L);
        command.Parameters.AddWithValue("GrainIdN1", 0L);
        command.Parameters.AddWithValue("GrainTypeHash", 9);
        command.Parameters.AddWithValue("GrainTypeString", "release");
        command.Parameters.AddWithValue("GrainIdExtensionString", "r1");
        command.Parameters.AddWithValue("ServiceId", "svc");
        command.Parameters.AddWithValue("GrainStateVersion", (object?)expectedVersion ?? DBNull.Value);
        command.Parameters.AddWithValue("PayloadBinary", System.Text.Encoding.UTF8.GetBytes(payload));

        var versions = new List<long?>();
        using var reader = command.ExecuteReader();
        do
        {
            while (reader.Read())
            {
                versions.Add(reader.IsDBNull(0) ? null : reader.GetInt64(0));
            }
        }
        while (reader.NextResult());

        return versions;
    }

    [Fact]
    public void The_write_query_bumps_the_version_and_reports_a_stale_writer()
    {
        using var connection = CreateDatabase().Open();

        Assert.Equal([1L], Write(connection, null, "first"));
        Assert.Equal([2L], Write(connection, 1, "second"));

        // A writer that read version 1 gets its own version back: Orleans reads that as a conflict.
        Assert.Equal([1L], Write(connection, 1, "stale"));
        // A second "first write" of the same grain finds the row and writes nothing.
        Assert.Empty(Write(connection, null, "duplicate"));

        Assert.Equal("second", System.Text.Encoding.UTF8.GetString((byte[])Scalar(connection, "SELECT PayloadBinary FROM OrleansStorage;")!));
        Assert.Equal(2L, Scalar(connection, "SELECT Version FROM OrleansStorage;"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
