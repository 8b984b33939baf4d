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

    /// <summary>
    /// How long a release grain stays in memory without a call before it is collected (its state is
    /// stored; the next call loads it again). See <see cref="Releases.ReleaseGrainCollection"/>.
    /// </summary>
    public TimeSpan IdleReleaseAfter { get; set; } = Releases.ReleaseGrainCollection.DefaultIdleAfter;

    /// <summary>The proxies whose X-Forwarded-* headers are believed: IP addresses or CIDR networks; empty means loopback.</summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>Settings under <c>Releases:Cluster</c>: where the cluster keeps its state and how silos reach each other.</summary>
    public ReleasesClusterOptions Cluster { get; set; } = new();

    /// <summary>The folder that holds the database (and the demo repositories).</summary>
    public string DataFolder => Path.GetDirectoryName(Path.GetFullPath(DatabasePath))!;
}

/// <summary>Settings under <c>Releases:Cluster</c> (see "One node or a cluster" in README.md).</summary>
public sealed class ReleasesClusterOptions
{
    /// <summary>A PostgreSQL connection string shared by every silo; null keeps one node on SQLite.</summary>
    public string? PostgreSql { get; set; }

    /// <summary>The IP address other silos reach this one at; null means loopback.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Orleans' silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Gone: there is no Orleans gateway any more. Read only to warn that it is ignored.</summary>
    public int? GatewayPort { get; set; }

    /// <summary>A PFX file: with it, silos talk TLS and accept only peers that show this certificate (or one it issued).</summary>
    public string? Certificate { get; set; }

    /// <summary>The password of <see cref="Certificate"/>, if it has one.</summary>
    public string? CertificatePassword { get; set; }

    public bool UsesPostgreSql => !string.IsNullOrWhiteSpace(PostgreSql);
}
