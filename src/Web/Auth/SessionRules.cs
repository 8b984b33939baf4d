using System.Globalization;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansReleases.Web.Hubs;

namespace OrleansReleases.Web.Auth;

/// <summary>
/// The limits of a browser session beyond its sliding lifetime:
/// <list type="bullet">
/// <item>an absolute lifetime (<c>Auth:SessionMaxLifetime</c>) from sign-in, kept in the session's <see cref="StartedClaim"/>;</item>
/// <item>for single sign-on, the roles read again from the provider every <c>Auth:RoleRefreshInterval</c>
/// with the session's refresh token, so a revoked role stops working; a refresh the provider refuses ends the session.</item>
/// </list>
/// A session that ends here is signed out, and its hub connections closed.
/// </summary>
public static class SessionRules
{
    /// <summary>When the session began (Unix seconds, UTC).</summary>
    public const string StartedClaim = "session_started";

    private const string RolesCheckedItem = ".roles_checked";

    /// <summary>At sign-in: the session's start, and when its roles were last read.</summary>
    public static void Stamp(CookieSigningInContext context)
    {
        if (context.Principal?.Identity is not ClaimsIdentity identity || identity.HasClaim(c => c.Type == StartedClaim))
        {
            return;
        }

        var now = Clock(context.Options).GetUtcNow();
        identity.AddClaim(new Claim(StartedClaim, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        context.Properties.Items[RolesCheckedItem] = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Refuses a session older than <see cref="AuthSettings.SessionMaxLifetime"/> (or without a start); true when it may go on.</summary>
    public static async Task<bool> EnforceMaxLifetimeAsync(CookieValidatePrincipalContext context, AuthSettings settings)
    {
        if (context.Principal is null)
        {
            return false;
        }

        var now = Clock(context.Options).GetUtcNow();
        var started = long.TryParse(context.Principal.FindFirst(StartedClaim)?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : (DateTimeOffset?)null;
        if (started is not null && now - started.Value <= settings.SessionMaxLifetime)
        {
            return true;
        }

        Logger(context).LogInformation("Ended the session of {User}: it began {Started}, longer ago than Auth:SessionMaxLifetime", context.Principal.Identity?.Name, started);
        await EndAsync(context);
        return false;
    }

    /// <summary>Reads a single-sign-on session's roles again from the provider when they are older than <see cref="AuthSettings.RoleRefreshInterval"/>.</summary>
    public static async Task RefreshRolesAsync(CookieValidatePrincipalContext context, AuthSettings settings)
    {
        var principal = context.Principal;
        var refreshToken = context.Properties.GetTokenValue("refresh_token");
        if (principal is null || settings.UsesDevelopmentLogin || DevelopmentLoginEndpoints.MadeByDevelopmentLogin(principal) || refreshToken is null)
        {
            return; // no provider to ask, or it gave no refresh token: the roles last as long as the session
        }

        var now = Clock(context.Options).GetUtcNow();
        if (context.Properties.Items.TryGetValue(RolesCheckedItem, out var checkedText)
            && long.TryParse(checkedText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var checkedAt)
            && now - DateTimeOffset.FromUnixTimeSeconds(checkedAt) < settings.RoleRefreshInterval)
        {
            return;
        }

        var services = context.HttpContext.RequestServices;
        var oidc = services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(OpenIdConnectDefaults.AuthenticationScheme);
        TokenAnswer? answer = null;
        try
        {
            var configuration = await oidc.ConfigurationManager!.GetConfigurationAsync(context.HttpContext.RequestAborted);
            using var response = await oidc.Backchannel.PostAsync(configuration.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = refreshToken,
                ["client_id"] = oidc.ClientId ?? "",
                ["client_secret"] = oidc.ClientSecret ?? "",
            }), context.HttpContext.RequestAborted);
            if (response.IsSuccessStatusCode)
            {
                answer = await response.Content.ReadFromJsonAsync<TokenAnswer>(context.HttpContext.RequestAborted);
            }
            else
            {
                Logger(context).LogInformation("The provider refused to refresh the session of {User} ({Status})", principal.Identity?.Name, (int)response.StatusCode);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException or InvalidOperationException or TaskCanceledException)
        {
            Logger(context).LogWarning(ex, "Could not refresh the session of {User}", principal.Identity?.Name);
        }

        if (answer?.AccessToken is null)
        {
            await EndAsync(context); // fail closed: roles that cannot be confirmed are not trusted
            return;
        }

        var roles = KeycloakRoles.FromJwtPayload(answer.AccessToken, oidc.ClientId)
            .Concat(KeycloakRoles.FromJwtPayload(answer.IdToken, oidc.ClientId))
            .Distinct(StringComparer.Ordinal);
        var identity = new ClaimsIdentity(principal.Claims.Where(c => c.Type != ClaimTypes.Role), principal.Identity?.AuthenticationType, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaims(roles.Select(role => new Claim(ClaimTypes.Role, role)));
        context.ReplacePrincipal(new ClaimsPrincipal(identity));
        context.Properties.UpdateTokenValue("access_token", answer.AccessToken);
        if (answer.RefreshToken is not null)
        {
            context.Properties.UpdateTokenValue("refresh_token", answer.RefreshToken);
        }

        context.Properties.Items[RolesCheckedItem] = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        context.ShouldRenew = true;
    }

    /// <summary>Ends the session: 401 for this request, the cookie cleared, the person's hub connections closed.</summary>
    public static async Task EndAsync(CookieValidatePrincipalContext context)
    {
        context.HttpContext.RequestServices.GetService<HubClusterNotices>()?.EndSessionsOf(context.Principal);
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    private static TimeProvider Clock(CookieAuthenticationOptions options) => options.TimeProvider ?? TimeProvider.System;

    private static ILogger Logger(CookieValidatePrincipalContext context) =>
        context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SessionRules));

    private sealed record TokenAnswer(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("id_token")] string? IdToken,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken);
}
