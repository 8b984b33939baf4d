using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using OrleansReleases.Web.Auth;
using OrleansReleases.Tests.Support;

namespace OrleansReleases.Tests.Auth;

/// <summary>
/// A single-sign-on session's roles are read again from the provider's token endpoint with the
/// session's refresh token: a revoked role stops working, and a refused refresh ends the session.
/// (The cookie handler's OnValidatePrincipal calls <see cref="SessionRules.RefreshRolesAsync"/>; here it is called directly.)
/// </summary>
public sealed class RoleRefreshTests
{
    private static readonly AuthSettings Settings = new() { Keycloak = { Issuer = "https://idp.example/realms/test", ClientId = "orleans-releases" } };

    private readonly ManualClock _clock = new();

    [Fact]
    public async Task After_the_refresh_interval_the_roles_are_the_providers_current_ones()
    {
        var provider = new TokenEndpoint(HttpStatusCode.OK, Jwt(new { realm_access = new { roles = new[] { "release-qa" } } }));
        var context = Context(provider, roles: ["release-dev-lead"]);

        _clock.Advance(Settings.RoleRefreshInterval + TimeSpan.FromSeconds(1));
        await SessionRules.RefreshRolesAsync(context, Settings);

        Assert.Equal("refresh_token=refresh-1", provider.LastForm?.Split('&').Single(p => p.StartsWith("refresh_token=", StringComparison.Ordinal)));
        Assert.NotNull(context.Principal);
        Assert.False(context.Principal.IsInRole("release-dev-lead")); // revoked at the provider: gone here
        Assert.True(context.Principal.IsInRole("release-qa"));
        Assert.True(context.ShouldRenew);
    }

    [Fact]
    public async Task Within_the_refresh_interval_the_provider_is_not_asked()
    {
        var provider = new TokenEndpoint(HttpStatusCode.OK, Jwt(new { realm_access = new { roles = Array.Empty<string>() } }));
        var context = Context(provider, roles: ["release-dev-lead"]);

        _clock.Advance(Settings.RoleRefreshInterval / 2);
        await SessionRules.RefreshRolesAsync(context, Settings);

        Assert.Null(provider.LastForm);
        Assert.True(context.Principal!.IsInRole("release-dev-lead"));
    }

    [Fact]
    public async Task A_refresh_the_provider_refuses_ends_the_session()
    {
        var provider = new TokenEndpoint(HttpStatusCode.BadRequest, """{"error":"invalid_grant"}""");
        var context = Context(provider, roles: ["release-dev-lead"]);

        _clock.Advance(Settings.RoleRefreshInterval + TimeSpan.FromSeconds(1));
        await SessionRules.RefreshRolesAsync(context, Settings);

        Assert.Null(context.Principal);
    }

    private CookieValidatePrincipalContext Context(TokenEndpoint provider, string[] roles)
    {
        var configuration = new OpenIdConnectConfiguration { TokenEndpoint = "https://idp.example/token" };
        var services = new ServiceCollection().AddLogging();
        services.AddAuthentication().AddCookie();
        services.Configure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, options =>
        {
            options.ClientId = "orleans-releases";
            options.ClientSecret = "secret";
            options.Configuration = configuration;
            options.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
            options.Backchannel = new HttpClient(provider);
        });
        var http = new DefaultHttpContext { RequestServices = services.BuildServiceProvider() };

        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, "alice"),
            new(DevelopmentLoginEndpoints.MethodClaim, "oidc"),
            new(ClaimsPrincipalExtensions.ActorIdClaim, "https://idp.example/realms/test|alice"),
        };
        claims.AddRange(roles.Select(role => new Claim(ClaimTypes.Role, role)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, "oidc", ClaimTypes.Name, ClaimTypes.Role));
        var properties = new AuthenticationProperties();
        properties.StoreTokens([new AuthenticationToken { Name = "refresh_token", Value = "refresh-1" }]);
        var options = new CookieAuthenticationOptions { TimeProvider = _clock };

        // Signing in stamps when the roles were read.
        SessionRules.Stamp(new CookieSigningInContext(http, Scheme(), options, principal, properties, new CookieOptions()));
        return new CookieValidatePrincipalContext(http, Scheme(), options, new AuthenticationTicket(principal, properties, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    private static AuthenticationScheme Scheme() =>
        new(CookieAuthenticationDefaults.AuthenticationScheme, null, typeof(CookieAuthenticationHandler));

    private static string Jwt(object payload) =>
        $"{Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""")}.{Base64UrlEncoder.Encode(JsonSerializer.Serialize(payload))}.sig";

    private sealed class TokenEndpoint(HttpStatusCode status, string accessTokenOrBody) : HttpMessageHandler
    {
        public string? LastForm { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            LastForm = await request.Content!.ReadAsStringAsync(cancellationToken);
            var body = status == HttpStatusCode.OK
                ? JsonSerializer.Serialize(new { access_token = accessTokenOrBody, refresh_token = "refresh-2", token_type = "Bearer" })
                : accessTokenOrBody;
            return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
    }
}
