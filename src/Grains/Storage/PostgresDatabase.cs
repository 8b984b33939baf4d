using System.Data.Common;
using System.Text.RegularExpressions;
using Npgsql;

namespace OrleansReleases.Grains.Storage;

/// <summary>
/// PostgreSQL for a cluster (<c>Releases:Cluster:PostgreSql</c>): Orleans' membership and grain
/// storage, the release index, the history and the chat outbox, shared by every silo. The schema
/// is made on start, once, under an advisory lock so silos starting together do not race.
/// </summary>
public sealed partial class PostgresDatabase : IReleaseDatabase
{
    /// <summary>Orleans' ADO.NET invariant for PostgreSQL.</summary>
    public const string NpgsqlInvariant = "Npgsql";

    /// <summary>Any constant: every silo takes the same lock while it makes the schema.</summary>
    private const long SchemaLock = 0x52454c45415345; // "RELEASE"

    private readonly NpgsqlDataSource _dataSource;

    public PostgresDatabase(string connectionString)
    {
        ConnectionString = connectionString;
        _dataSource = NpgsqlDataSource.Create(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Description = $"PostgreSQL database '{builder.Database}' on {builder.Host}:{builder.Port}";
    }

    public string Invariant => NpgsqlInvariant;

    public string ConnectionString { get; }

    public string Description { get; }

    public DbConnection Open() => _dataSource.OpenConnection();

    public void EnsureCreated()
    {
        using var connection = _dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        Execute(connection, $"SELECT pg_advisory_xact_lock({SchemaLock});");
        using var check = new NpgsqlCommand("SELECT to_regclass('orleansquery') IS NOT NULL;", connection);
        var exists = (bool)check.ExecuteScalar()!;
        if (!exists)
        {
            Execute(connection, SqlScripts.Read("PostgreSql.OrleansCluster.Schema.sql"));
        }

        foreach (var (key, text) in Queries(SqlScripts.Read("PostgreSql.Queries.sql")))
        {
            using var upsert = new NpgsqlCommand(
                "INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES (@key, @text) ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;",
                connection);
            upsert.Parameters.AddWithValue("key", key);
            upsert.Parameters.AddWithValue("text", text);
            upsert.ExecuteNonQuery();
        }

        Execute(connection, SqlScripts.Read("PostgreSql.Catalog.Schema.sql"));
        transaction.Commit();
    }

    /// <summary>Splits the queries file at its "-- key: Name" lines.</summary>
    private static IEnumerable<(string Key, string Text)> Queries(string file)
    {
        var parts = KeyLine().Split(file);
        for (var i = 1; i + 1 < parts.Length; i += 2)
        {
            yield return (parts[i], parts[i + 1].Trim());
        }
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    [GeneratedRegex(@"^-- key: (\w+)\s*$", RegexOptions.Multiline)]
    private static partial Regex KeyLine();
}
