namespace OrleansReleases.Grains;

/// <summary>Settings under <c>Releases</c> (see the settings table in README.md).</summary>
public sealed class ReleasesOptions
{
    public const string Section = "Releases";

    /// <summary>The SQLite file that holds all state.</summary>
    public string DatabasePath { get; set; } = "releases.db";

    /// <summary>Public URL used in links posted to chat; null means the request's own origin.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Create sample git repositories in the data folder and use them as the local-git source.</summary>
    public bool Demo { get; set; }

    /// <summary>Trust X-Forwarded-* headers from a reverse proxy.</summary>
    public bool BehindProxy { get; set; }

    /// <summary>The folder that holds the database (and the demo repositories).</summary>
    public string DataFolder => Path.GetDirectoryName(Path.GetFullPath(DatabasePath))!;
}
