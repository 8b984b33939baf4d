using System.Data.Common;

namespace OrleansReleases.Grains.Storage;

/// <summary>
/// The database that holds all state: Orleans' grain storage (and, for clusters, membership),
/// the release index, the history and the chat outbox. SQLite for one node, PostgreSQL for a
/// cluster; the rest of the code sees only this.
/// </summary>
public interface IReleaseDatabase
{
    /// <summary>The ADO.NET invariant Orleans' providers need for this database.</summary>
    string Invariant { get; }

    string ConnectionString { get; }

    /// <summary>Where the data is, for logs (never with a password).</summary>
    string Description { get; }

    /// <summary>An open connection.</summary>
    DbConnection Open();

    /// <summary>Creates what is missing of the schema; safe on every start.</summary>
    void EnsureCreated();
}
