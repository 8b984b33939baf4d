using System.Text.Json;

namespace OrleansReleases.Web.Auth;

/// <summary>
/// Reads roles from Keycloak's token shapes: realm roles in <c>realm_access.roles</c> and client
/// roles in <c>resource_access.&lt;client_id&gt;.roles</c> (plus a plain <c>roles</c> array, which
/// other providers use).
/// </summary>
public static class KeycloakRoles
{
    public static IReadOnlyList<string> From(JsonElement payload, string? clientId)
    {
        var roles = new List<string>();
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return roles;
        }

        AddArray(payload, "roles", roles);
        if (payload.TryGetProperty("realm_access", out var realm))
        {
            AddArray(realm, "roles", roles);
        }

        if (clientId is not null && payload.TryGetProperty("resource_access", out var resources)
            && resources.ValueKind == JsonValueKind.Object && resources.TryGetProperty(clientId, out var client))
        {
            AddArray(client, "roles", roles);
        }

        return roles.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The roles in a JWT's payload, read without validating it: only for tokens received straight from the provider.</summary>
    public static IReadOnlyList<string> FromJwtPayload(string? jwt, string? clientId)
    {
        var parts = jwt?.Split('.');
        if (parts is not { Length: 3 })
        {
            return []; // an opaque access token carries no readable roles
        }

        try
        {
            using var document = JsonDocument.Parse(Base64UrlDecode(parts[1]));
            return From(document.RootElement, clientId);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return [];
        }
    }

    private static byte[] Base64UrlDecode(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);

    private static void AddArray(JsonElement parent, string name, List<string> into)
    {
        if (parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array)
        {
            into.AddRange(array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!));
        }
    }
}
