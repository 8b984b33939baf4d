namespace OrleansReleases.Silo.Hosting;

/// <summary>Settings under <c>Releases:Cluster</c>: how this silo talks to the others (see README.md).</summary>
public sealed class ClusterSettings
{
    public const string Section = "Releases:Cluster";

    /// <summary>The PostgreSQL connection string shared by every silo; unset means one node on SQLite.</summary>
    public string? PostgreSql { get; set; }

    /// <summary>The IP address other silos reach this one at (and the one it listens on); loopback when unset.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Orleans' silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Gone: there is no Orleans gateway any more. Read only to warn that it is ignored.</summary>
    public int? GatewayPort { get; set; }

    /// <summary>A PFX file: with it, silos talk TLS and accept only peers that show this certificate (or one it issued).</summary>
    public string? Certificate { get; set; }

    /// <summary>The password of <see cref="Certificate"/>, if it has one.</summary>
    public string? CertificatePassword { get; set; }

    public static ClusterSettings From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<ClusterSettings>() ?? new ClusterSettings();
}
