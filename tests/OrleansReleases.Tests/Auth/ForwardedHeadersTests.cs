using System.Net;
using Microsoft.Data.Sqlite;
using OrleansReleases.Tests.Support;

namespace OrleansReleases.Tests.Auth;

/// <summary>Behind a proxy, forwarded headers are believed only from trusted proxies, and never put another host in a redirect.</summary>
public sealed class ForwardedHeadersTests : IAsyncLifetime
{
    private readonly TempFolder _folder = TempFolder.Create();
    private TestIdentityProvider _idp = null!;

    public async Task InitializeAsync() => _idp = await TestIdentityProvider.StartAsync();

    public async Task DisposeAsync()
    {
        await _idp.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_forged_forwarded_host_from_an_untrusted_address_is_not_in_the_sign_in_redirect()
    {
        // The tests connect from loopback; here only 10.1.2.3 is a trusted proxy.
        await using var host = await ServiceHost.StartAsync(_folder.Folder("untrusted"),
            [.. _idp.Settings, "Releases:BehindProxy=true", "Releases:TrustedProxies=10.1.2.3"]);

        var redirect = await LoginRedirectAsync(host, "evil.example");

        Assert.DoesNotContain("evil.example", redirect, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(Uri.EscapeDataString($"http://{host.BaseAddress.Authority}/auth/callback"), redirect, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trusted_proxy_cannot_name_a_host_other_than_the_base_urls()
    {
        await using var host = await ServiceHost.StartAsync(_folder.Folder("trusted"),
            [.. _idp.Settings, "Releases:BehindProxy=true", "Releases:BaseUrl=https://releases.example.com"]);

        var redirect = await LoginRedirectAsync(host, "evil.example", proto: "https");

        Assert.DoesNotContain("evil.example", redirect, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(Uri.EscapeDataString("https://releases.example.com/auth/callback"), redirect, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forwarded_host_is_not_in_the_login_redirect_of_a_page()
    {
        await using var host = await ServiceHost.StartAsync(_folder.Folder("page"),
            [.. _idp.Settings, "Releases:BehindProxy=true", "Releases:TrustedProxies=10.1.2.3"]);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/releases");
        request.Headers.Add("X-Forwarded-Host", "evil.example");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.DoesNotContain("evil.example", response.Headers.Location!.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<string> LoginRedirectAsync(ServiceHost host, string forgedHost, string proto = "http")
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/login?returnUrl=/releases");
        request.Headers.Add("X-Forwarded-Host", forgedHost);
        request.Headers.Add("X-Forwarded-Proto", proto);
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.ToString();
    }
}
