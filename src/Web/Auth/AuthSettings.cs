using OrleansReleases.Grains.Domain;

namespace OrleansReleases.Web.Auth;

/// <summary>Settings under <c>Auth</c>.</summary>
public sealed class AuthSettings
{
    public const string Section = "Auth";

    public KeycloakSettings Keycloak { get; set; } = new();

    public RoleSettings Roles { get; set; } = new();

    /// <summary>How long a browser session lasts without activity.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(10);

    /// <summary>
    /// The longest a browser session lasts, however active: after it the person signs in again.
    /// </summary>
    public TimeSpan SessionMaxLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// How often a single-sign-on session's roles are read again from the provider (with the
    /// session's refresh token); a refresh the provider refuses ends the session.
    /// </summary>
    public TimeSpan RoleRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Allow the development login on a non-loopback address.</summary>
    public bool AllowDevelopmentLogin { get; set; }

    /// <summary>
    /// One identity may not hold both approvals of a release (compared by id, see <see cref="Actor.Id"/>).
    /// <c>false</c> lets one person give both, for teams of one; the history says so when it happens.
    /// </summary>
    public bool SeparationOfDuties { get; set; } = true;

    /// <summary>With no identity provider configured, people sign in through the development login.</summary>
    public bool UsesDevelopmentLogin => string.IsNullOrWhiteSpace(Keycloak.Issuer);

    public sealed class KeycloakSettings
    {
        /// <summary>The realm's issuer, e.g. <c>https://keycloak.example.com/realms/myrealm</c>.</summary>
        public string? Issuer { get; set; }

        public string? ClientId { get; set; }

        public string? ClientSecret { get; set; }

        /// <summary>The audience bearer tokens must carry; defaults to the client id.</summary>
        public string? Audience { get; set; }

        /// <summary>The clients (<c>azp</c>) whose access tokens are accepted; empty: any client of the realm.</summary>
        public string[] AuthorizedParties { get; set; } = [];

        /// <summary>
        /// Refuse an <c>http://</c> issuer (metadata and keys fetched without TLS). Set <c>false</c>
        /// only on purpose, for a provider on loopback in tests.
        /// </summary>
        public bool RequireHttpsMetadata { get; set; } = true;
    }

    public sealed class RoleSettings
    {
        public string DevLead { get; set; } = "release-dev-lead";
        public string Qa { get; set; } = "release-qa";
        public string Admin { get; set; } = "release-admin";

        /// <summary>The role that may report deployments and mark releases deployed (the Dev lead role may too).</summary>
        public string Deployer { get; set; } = "release-deployer";

        public DeployRoles ToDeployRoles() => new(Deployer, DevLead, Admin);

        public ApprovalRoles ToApprovalRoles() => new(DevLead, Qa);
    }
}
