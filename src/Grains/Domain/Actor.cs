namespace OrleansReleases.Grains.Domain;

/// <summary>
/// The signed-in person (or automation) asking for a change, with the roles they hold.
/// <see cref="Name"/> is what people read; <see cref="Id"/> is who they are, and what separation of
/// duties compares: <c>&lt;issuer&gt;|&lt;sub&gt;</c> for single sign-on (browser sessions and bearer
/// tokens alike), <c>dev:NAME</c> for the development login, <c>service:NAME</c> for the service's
/// own changes, <c>mattermost:&lt;user id&gt;</c> for a chat sender. Null only where no identity is known.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Actor(string Name, IReadOnlyList<string> Roles, string? Id = null)
{
    public bool HasRole(string role) => Roles.Contains(role, StringComparer.Ordinal);

    /// <summary>The actor of changes the service makes by itself (start-up repair, webhooks).</summary>
    public static Actor System { get; } = new("system", [], "service:system");
}
