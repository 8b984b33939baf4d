using System.Security.Claims;
using OrleansReleases.Grains;
using OrleansReleases.Grains.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace OrleansReleases.Web.Auth;

/// <summary>
/// Sign-in. People hold a cookie session, set by OpenID Connect (code flow with PKCE) against
/// <c>Auth:Keycloak:Issuer</c>, or by the development login when no provider is configured.
/// Automation sends <c>Authorization: Bearer</c> access tokens of the same provider. One policy
/// scheme picks between the two per request.
/// </summary>
public static class AuthenticationSetup
{
    public const string SessionCookieName = "releases.session";

    /// <summary>The policy of operator pages: the role <c>Auth:Roles:Admin</c>.</summary>
    public const string AdminPolicy = "admin";

    /// <summary>The scheme every endpoint authenticates with: bearer when the request carries a token, the cookie otherwise.</summary>
    private const string CookieOrBearer = "cookie-or-bearer";

    public static IServiceCollection AddReleasesAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(AuthSettings.Section).Get<AuthSettings>() ?? new AuthSettings();
        services.AddSingleton(settings);
        // The CI-checks rule of approvals (Releases:Gate:Checks) travels with the approval roles into the grains.
        var gate = configuration.GetSection(ReleasesGateOptions.Section).Get<ReleasesGateOptions>() ?? new ReleasesGateOptions();
        var checksRule = ChecksGate.Parse(gate.Checks)
            ?? throw new InvalidOperationException($"Releases:Gate:Checks must be block-failure, require-success or off, not '{gate.Checks}'.");
        services.AddSingleton(settings.Roles.ToApprovalRoles() with { SeparationOfDuties = settings.SeparationOfDuties, Checks = checksRule });
        services.AddSingleton(settings.Roles.ToDeployRoles());

        var authentication = services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieOrBearer;
                options.DefaultChallengeScheme = CookieOrBearer;
            })
            .AddPolicyScheme(CookieOrBearer, "Cookie or bearer token", options =>
            {
                options.ForwardDefaultSelector = context =>
                    !settings.UsesDevelopmentLogin && context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                        ? JwtBearerDefaults.AuthenticationScheme
                        : CookieAuthenticationDefaults.AuthenticationScheme;
            })
            .AddCookie(options =>
            {
                options.Cookie.Name = SessionCookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // Secure behind HTTPS (and a proxy that says so)
                options.ExpireTimeSpan = settings.SessionLifetime;
                options.SlidingExpiration = true;
                options.LoginPath = "/auth/login";
                options.LogoutPath = "/auth/logout";

                // The API and the hub answer 401/403; only pages redirect to the sign-in page.
                options.Events.OnRedirectToLogin = context => ApiStatusOrRedirect(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden; // signed in, but lacks the role: no page helps
                    return Task.CompletedTask;
                };
                // Signing out ends the person's live connections too (on every silo), not only the cookie.
                options.Events.OnSigningOut = context =>
                {
                    context.HttpContext.RequestServices.GetService<OrleansReleases.Web.Hubs.HubClusterNotices>()?.EndSessionsOf(context.HttpContext.User);
                    return Task.CompletedTask;
                };
                options.Events.OnSigningIn = context =>
                {
                    SessionRules.Stamp(context);
                    return Task.CompletedTask;
                };
                options.Events.OnValidatePrincipal = async context =>
                {
                    await RefuseDevelopmentSessionsUnderSingleSignOn(context, settings);
                    await RefuseSessionsWithoutActorId(context);
                    if (context.Principal is not null && await SessionRules.EnforceMaxLifetimeAsync(context, settings))
                    {
                        await SessionRules.RefreshRolesAsync(context, settings);
                    }
                };
            });

        if (!settings.UsesDevelopmentLogin)
        {
            AddKeycloak(authentication, settings, configuration["Releases:BaseUrl"]);
        }

        services.AddAuthorizationBuilder().AddPolicy(AdminPolicy, policy => policy.RequireRole(settings.Roles.Admin));
        return services;
    }

    private static void AddKeycloak(AuthenticationBuilder authentication, AuthSettings settings, string? baseUrl)
    {
        var keycloak = settings.Keycloak;
        var issuer = keycloak.Issuer!.TrimEnd('/');
        var requireHttps = keycloak.RequireHttpsMetadata;
        if (requireHttps && !issuer.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"Refusing to start: the identity provider's issuer {issuer} is not https, so its keys would be fetched without TLS. " +
                "Use an https issuer, or set Auth:Keycloak:RequireHttpsMetadata=false on purpose (a provider on loopback, in tests).");
        }

        authentication.AddOpenIdConnect(options =>
        {
            options.Authority = issuer;
            options.ClientId = keycloak.ClientId;
            options.ClientSecret = keycloak.ClientSecret;
            options.RequireHttpsMetadata = requireHttps;
            options.ResponseType = OpenIdConnectResponseType.Code;
            options.UsePkce = true;
            // A plain redirect back (not a cross-site form post), so Lax cookies are enough.
            options.ResponseMode = OpenIdConnectResponseMode.Query;
            options.CallbackPath = "/auth/callback";
            options.SignedOutCallbackPath = "/auth/signed-out";
            options.SaveTokens = true; // the id token is the id_token_hint of the provider logout; the refresh token re-reads roles (SessionRules)
            options.MapInboundClaims = false;
            options.Scope.Clear();
            foreach (var scope in new[] { "openid", "profile", "email" })
            {
                options.Scope.Add(scope);
            }

            options.CorrelationCookie.SameSite = SameSiteMode.Lax;
            options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.NonceCookie.SameSite = SameSiteMode.Lax;
            options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;

            // With Releases:BaseUrl, the provider sends people back there, whatever Host the request named.
            var publicBase = Uri.TryCreate(baseUrl, UriKind.Absolute, out var parsed) ? parsed.GetLeftPart(UriPartial.Authority) + parsed.AbsolutePath.TrimEnd('/') : null;
            options.Events.OnRedirectToIdentityProvider = context =>
            {
                if (publicBase is not null)
                {
                    context.ProtocolMessage.RedirectUri = publicBase + options.CallbackPath;
                }

                return Task.CompletedTask;
            };
            options.Events.OnRedirectToIdentityProviderForSignOut = context =>
            {
                if (publicBase is not null)
                {
                    context.ProtocolMessage.PostLogoutRedirectUri = publicBase + options.SignedOutCallbackPath;
                }

                return Task.CompletedTask;
            };
            options.Events.OnTokenValidated = context =>
            {
                // Keycloak puts realm roles in the access token; other setups put them in the id token.
                var roles = KeycloakRoles.FromJwtPayload(context.TokenEndpointResponse?.AccessToken, keycloak.ClientId)
                    .Concat(KeycloakRoles.FromJwtPayload(context.TokenEndpointResponse?.IdToken ?? context.ProtocolMessage.IdToken, keycloak.ClientId));
                if (SessionPrincipal(context.Principal!, issuer, roles, "oidc") is { } principal)
                {
                    context.Principal = principal;
                }
                else
                {
                    context.Fail("The id token has no sub claim.");
                }

                return Task.CompletedTask;
            };
        });

        authentication.AddJwtBearer(options =>
        {
            options.Authority = issuer;
            options.Audience = keycloak.Audience ?? keycloak.ClientId;
            options.RequireHttpsMetadata = requireHttps;
            options.MapInboundClaims = false;
            options.TokenValidationParameters.ValidIssuer = issuer;
            options.TokenValidationParameters.ValidateIssuer = true;
            options.TokenValidationParameters.ValidateAudience = true;
            options.TokenValidationParameters.ValidateLifetime = true;
            options.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
            options.Events = new JwtBearerEvents
            {
                OnTokenValidated = context =>
                {
                    if (AccessTokenRules.Refusal(context, keycloak) is { } refusal)
                    {
                        context.Fail(refusal); // 401
                        return Task.CompletedTask;
                    }

                    // Roles come from the token that was validated, never from the raw header.
                    if (SessionPrincipal(context.Principal!, issuer, AccessTokenRules.Roles(context.SecurityToken, keycloak.ClientId), "bearer") is { } principal)
                    {
                        context.Principal = principal;
                    }
                    else
                    {
                        context.Fail("The access token has no sub claim: the service cannot tell who sends it."); // 401
                    }

                    return Task.CompletedTask;
                },
            };
        });
    }

    /// <summary>
    /// The identity the app works with, whatever the token looked like: a name (the username, or
    /// the client of a machine token), a stable id (the token's issuer and <c>sub</c>: Keycloak's user
    /// id, or its service account's for a client-credentials token), an email, and the roles as role
    /// claims. Null when the token has no <c>sub</c>: without it no one can tell who sent it.
    /// </summary>
    private static ClaimsPrincipal? SessionPrincipal(ClaimsPrincipal token, string configuredIssuer, IEnumerable<string> roles, string authenticationType)
    {
        string? Claim(string type) => token.FindFirst(type)?.Value;
        if (string.IsNullOrEmpty(Claim("sub")))
        {
            return null;
        }

        var name = Claim("preferred_username") ?? Claim("name") ?? Claim("email") ?? Claim("client_id") ?? Claim("azp") ?? Claim("sub") ?? "unknown";
        // The issuer was validated against the configured one; the token's own spelling is used, so
        // the id token of a browser session and an access token of the same person give one id.
        var id = ClaimsPrincipalExtensions.SingleSignOnId(Claim("iss") ?? configuredIssuer, Claim("sub")!);

        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, name),
            new(DevelopmentLoginEndpoints.MethodClaim, authenticationType),
            new(ClaimsPrincipalExtensions.ActorIdClaim, id),
        };
        if (Claim("email") is { } email)
        {
            claims.Add(new Claim(ClaimTypes.Email, email));
        }

        claims.AddRange(roles.Distinct(StringComparer.Ordinal).Select(role => new Claim(ClaimTypes.Role, role)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>
    /// A session the development login made (while no provider was configured) names whoever its
    /// holder typed. Once single sign-on is on, such a cookie is refused, not trusted: it still
    /// decrypts (the keys live in the database), so this check is what ends it.
    /// </summary>
    private static async Task RefuseDevelopmentSessionsUnderSingleSignOn(CookieValidatePrincipalContext context, AuthSettings settings)
    {
        if (settings.UsesDevelopmentLogin || !DevelopmentLoginEndpoints.MadeByDevelopmentLogin(context.Principal))
        {
            return;
        }

        context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuthenticationSetup))
            .LogWarning("Refused a development-login session of {User}: single sign-on is configured", context.Principal?.Identity?.Name);
        await SessionRules.EndAsync(context);
    }

    /// <summary>
    /// A session signed in before sessions carried the actor's id (<see cref="ClaimsPrincipalExtensions.ActorIdClaim"/>)
    /// knows the person only by name, which separation of duties no longer trusts: it is refused
    /// (401, the cookie cleared) and the person signs in again, which records the id. Fail closed.
    /// Development-login sessions are the exception: their id is <c>dev:NAME</c> anyway, so one
    /// without the claim is given that id (see <see cref="ClaimsPrincipalExtensions.ActorId"/>).
    /// </summary>
    private static async Task RefuseSessionsWithoutActorId(CookieValidatePrincipalContext context)
    {
        if (context.Principal is null || context.Principal.ActorId() is not null)
        {
            return;
        }

        context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuthenticationSetup))
            .LogInformation("Refused a session of {User} made before sessions carried an id: sign in again", context.Principal.Identity?.Name);
        await SessionRules.EndAsync(context);
    }

    private static Task ApiStatusOrRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/hubs"))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }
}
