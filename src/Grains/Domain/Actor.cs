namespace OrleansReleases.Grains.Domain;

/// <summary>The signed-in person (or automation) asking for a change, with the roles they hold.</summary>
[GenerateSerializer, Immutable]
public sealed record Actor(string Name, IReadOnlyList<string> Roles)
{
    public bool HasRole(string role) => Roles.Contains(role, StringComparer.Ordinal);

    /// <summary>The actor of changes the service makes by itself (start-up repair, webhooks).</summary>
    public static Actor System { get; } = new("system", []);
}
