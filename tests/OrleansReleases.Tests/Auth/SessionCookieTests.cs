using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using OrleansReleases.Web.Auth;
using OrleansReleases.Tests.Support;

namespace OrleansReleases.Tests.Auth;

/// <summary>The session cookie's flags, its expiry, and the switch from the development login to a provider.</summary>
public sealed class SessionCookieTests : IDisposable
{
    private readonly TempFolder _folder = TempFolder.Create();

    [Fact]
    public async Task An_expired_session_answers_401_on_the_api()
    {
        await using var host = await ServiceHost.StartAsync(_folder.Folder("data"));
        var cookies = host.Service<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme);
        string Session(DateTimeOffset expires)
        {
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "alice"),
                new Claim(SessionRules.StartedClaim, expires.AddHours(-10).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture))], "development-login");
            var ticket = new AuthenticationTicket(new ClaimsPrincipal(identity),
                new AuthenticationProperties { IssuedUtc = expires.AddHours(-10), ExpiresUtc = expires }, CookieAuthenticationDefaults.AuthenticationScheme);
            return cookies.TicketDataFormat.Protect(ticket);
        }

        async Task<HttpStatusCode> MeWith(string session)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
            request.Headers.Add("Cookie", $"{AuthenticationSetup.SessionCookieName}={session}");
            using var client = new HttpClient { BaseAddress = host.BaseAddress };
            return (await client.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await MeWith(Session(DateTimeOffset.UtcNow.AddHours(1))));
        Assert.Equal(HttpStatusCode.Unauthorized, await MeWith(Session(DateTimeOffset.UtcNow.AddMinutes(-1))));
    }

    [Fact]
    public async Task The_session_cookie_is_HttpOnly_Lax_and_Secure_behind_an_https_proxy()
    {
        await using var host = await ServiceHost.StartAsync(_folder.Folder("data"), "Releases:BehindProxy=true", "Auth:AllowDevelopmentLogin=true");
        using var client = host.Client();

        var plain = await client.GetAsync("/auth/dev-login?user=alice");
        var proxied = new HttpRequestMessage(HttpMethod.Get, "/auth/dev-login?user=alice");
        proxied.Headers.Add("X-Forwarded-Proto", "https");
        var secure = await client.Http.SendAsync(proxied);

        var plainCookie = Assert.Single(plain.Headers.GetValues("Set-Cookie"), c => c.StartsWith(AuthenticationSetup.SessionCookieName));
        var secureCookie = Assert.Single(secure.Headers.GetValues("Set-Cookie"), c => c.StartsWith(AuthenticationSetup.SessionCookieName));
        Assert.Contains("httponly", plainCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", plainCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", plainCookie.Replace("samesite", ""), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; secure", secureCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Forwarded_headers_are_ignored_unless_the_service_is_behind_a_proxy()
    {
        await using var host = await ServiceHost.StartAsync(_folder.Folder("data"));
        using var client = host.Client();
        var request = new HttpRequestMessage(HttpMethod.Get, "/auth/dev-login?user=alice");
        request.Headers.Add("X-Forwarded-Proto", "https");

        var response = await client.Http.SendAsync(request);

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(AuthenticationSetup.SessionCookieName));
        Assert.DoesNotContain("; secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task With_a_provider_configured_the_development_login_is_404_and_the_api_still_needs_sign_in()
    {
        await using var host = await ServiceHost.StartAsync(_folder.Folder("data"),
            "Auth:Keycloak:Issuer=http://127.0.0.1:9/realms/test", "Auth:Keycloak:ClientId=orleans-releases", "Auth:Keycloak:RequireHttpsMetadata=false");
        using var client = host.Client();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/auth/dev-login?user=mallory&roles=release-qa")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/releases")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/auth/login?returnUrl=https%3A%2F%2Fevil.example")).StatusCode);

        client.Http.DefaultRequestHeaders.Authorization = new("Bearer", "not.a-valid.token");
        foreach (var (method, path) in ApiRoutes.Of(host))
        {
            var response = await client.SendRawAsync(new HttpMethod(method), path, method is "GET" or "DELETE" ? null : "{}");
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} answered {(int)response.StatusCode}");
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
