namespace OrleansReleases.Grains.Storage;

/// <summary>Names that are written into the database and so must never change.</summary>
public static class StorageNames
{
    /// <summary>The Orleans grain-storage provider that holds release state.</summary>
    public const string Provider = "releases";

    /// <summary>The state name of <c>ReleaseGrain</c>; Orleans stores it as <c>GrainTypeString</c>.</summary>
    public const string ReleaseState = "release";

    /// <summary>The Orleans service id; every stored row carries it.</summary>
    public const string ServiceId = "orleans-releases";

    /// <summary>
    /// The ADO.NET invariant Orleans needs for SQLite. It is "System.Data.SQLite", not
    /// "Microsoft.Data.Sqlite": Orleans maps this name to Microsoft.Data.Sqlite's SqliteFactory,
    /// and its own constants class (AdoNetInvariants) is internal, so the literal lives here.
    /// </summary>
    public const string SqliteInvariant = "System.Data.SQLite";
}
