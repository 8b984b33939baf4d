using System.Net;
using OrleansReleases.Tests.Support;

namespace OrleansReleases.Tests.Http;

/// <summary>Every answer carries the security headers; the dashboard a strict Content-Security-Policy.</summary>
public sealed class SecurityHeadersTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task Pages_and_problems_carry_nosniff_a_referrer_policy_and_a_csp_without_inline_script()
    {
        using var alice = await fixture.Host.SignedInAsync("alice");
        foreach (var path in new[] { "/releases", "/auth/login", "/api/releases/unknown-id", "/api/me" })
        {
            var response = await alice.GetAsync(path);
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
            var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
            Assert.False(response.Headers.Contains("Strict-Transport-Security"), $"{path}: HSTS over plain http");
        }
    }

    [Fact]
    public async Task Behind_an_https_proxy_answers_carry_strict_transport_security()
    {
        using var folder = TempFolder.Create();
        await using var host = await ServiceHost.StartAsync(folder.Folder("data"), "Releases:BehindProxy=true", "Auth:AllowDevelopmentLogin=true");
        using var client = host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.Add("X-Forwarded-Proto", "https");

        var response = await client.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("max-age=", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
    }
}
