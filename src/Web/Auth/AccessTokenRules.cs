using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OrleansReleases.Web.Auth;

/// <summary>
/// What a bearer token must be, beyond a valid signature, issuer, audience and lifetime: an access
/// token (header <c>typ</c> <c>at+jwt</c>, RFC 9068, or Keycloak's <c>typ</c> claim <c>Bearer</c>;
/// an ID token, <c>typ</c> claim <c>ID</c>, is refused even when its audience is this client), from
/// an authorised party when <c>Auth:Keycloak:AuthorizedParties</c> lists some. Roles are read from
/// the validated token, never from the raw header.
/// </summary>
public static class AccessTokenRules
{
    /// <summary>Why the validated token is not acceptable as an access token, or null when it is.</summary>
    public static string? Refusal(SecurityToken? token, AuthSettings.KeycloakSettings keycloak)
    {
        if (token is not JsonWebToken jwt)
        {
            return "The bearer token is not a JWT.";
        }

        var typClaim = jwt.TryGetPayloadValue<string>("typ", out var claim) ? claim : null;
        var isAccessToken = string.Equals(jwt.Typ, "at+jwt", StringComparison.OrdinalIgnoreCase)
                            || string.Equals(jwt.Typ, "application/at+jwt", StringComparison.OrdinalIgnoreCase)
                            || string.Equals(typClaim, "Bearer", StringComparison.Ordinal);
        if (!isAccessToken)
        {
            return $"The bearer token is not an access token (typ header '{jwt.Typ}', typ claim '{typClaim}'): ID tokens and other JWTs are refused.";
        }

        if (keycloak.AuthorizedParties is { Length: > 0 } parties)
        {
            var azp = jwt.TryGetPayloadValue<string>("azp", out var value) ? value : jwt.TryGetPayloadValue<string>("client_id", out var clientId) ? clientId : null;
            if (azp is null || !parties.Contains(azp, StringComparer.Ordinal))
            {
                return "The access token was issued to a client that is not in Auth:Keycloak:AuthorizedParties.";
            }
        }

        return null;
    }

    /// <summary>The roles in the validated token's payload.</summary>
    public static IReadOnlyList<string> Roles(SecurityToken? token, string? clientId)
    {
        if (token is not JsonWebToken jwt)
        {
            return [];
        }

        using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload));
        return KeycloakRoles.From(payload.RootElement, clientId);
    }

    public static string? Refusal(TokenValidatedContext context, AuthSettings.KeycloakSettings keycloak) =>
        Refusal(context.SecurityToken, keycloak);
}
