using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace OrleansReleases.Grains.Storage;

/// <summary>
/// The one SQLite file that holds all state: Orleans' grain storage, the release index, the
/// history, and the GitHub answers kept for their ETags. <see cref="EnsureCreated"/> makes its
/// schema on first start and is safe to run on every start.
/// </summary>
public sealed class SqliteDatabase : IReleaseDatabase
{
    private static readonly string[] OrleansQueryKeys = ["WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey"];

    public SqliteDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true }.ToString();
    }

    public string Path { get; }

    public string ConnectionString { get; }

    public string Invariant => StorageNames.SqliteInvariant;

    public string Description => Path;

    DbConnection IReleaseDatabase.Open() => Open();

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>
    /// Creates the folder, switches the file to WAL journaling, and creates what is missing, all
    /// in one transaction so a crash cannot leave half a schema. The Orleans tables are created
    /// only when absent (their script is not idempotent); the Orleans queries are rewritten every
    /// time, so a newer build brings its newer queries.
    /// </summary>
    public void EnsureCreated()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");

        using var transaction = connection.BeginTransaction(deferred: false);
        if (!TableExists(connection, "OrleansStorage"))
        {
            Execute(connection, SqlScripts.Read("Sqlite.OrleansStorage.Schema.sql"));
        }

        foreach (var key in OrleansQueryKeys)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ($key, $text);";
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$text", SqlScripts.Read($"Sqlite.{key}.sql"));
            command.ExecuteNonQuery();
        }

        Execute(connection, SqlScripts.Read("Sqlite.Catalog.Schema.sql"));
        AddColumnIfMissing(connection, "release_history", "actor_id", "TEXT NULL");
        AddColumnIfMissing(connection, "release_history", "changes", "TEXT NULL"); // databases made before history kept changes
        Execute(connection, SqlScripts.Read("Sqlite.GitHubCache.Schema.sql"));
        transaction.Commit();
    }

    /// <summary>Columns added after a table was first released: SQLite has no <c>ADD COLUMN IF NOT EXISTS</c>.</summary>
    private static void AddColumnIfMissing(SqliteConnection connection, string table, string column, string definition)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM pragma_table_info($table) WHERE name = $column;";
        command.Parameters.AddWithValue("$table", table);
        command.Parameters.AddWithValue("$column", column);
        if (Convert.ToInt64(command.ExecuteScalar()) == 0)
        {
            Execute(connection, $"ALTER TABLE {table} ADD COLUMN {column} {definition};");
        }
    }

    private static bool TableExists(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name;";
        command.Parameters.AddWithValue("$name", table);
        return Convert.ToInt64(command.ExecuteScalar()) > 0;
    }


    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
