using System.Diagnostics;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using OrleansReleases.Silo.Hosting;
using OrleansReleases.Tests.Support;
using OrleansReleases.Web.Auth;
using static OrleansReleases.Tests.Support.ApiClient;

namespace OrleansReleases.Tests.Auth;

/// <summary>
/// The development login fails closed: it does not start where others could reach it, answers
/// only this machine, and its sessions end once an identity provider is configured.
/// </summary>
public sealed class DevelopmentLoginGuardTests : IDisposable
{
    private readonly TempFolder _folder = TempFolder.Create();

    private string[] Args(params string[] settings) =>
    [
        $"--Releases:DatabasePath={_folder.PathOf("releases.db")}",
        $"--Releases:Cluster:SiloPort={FreePort.Next()}",
        "--Logging:LogLevel:Default=Warning",
        .. settings,
    ];

    public static TheoryData<string[]> ExposedSettings() => new()
    {
        new[] { "--urls=http://127.0.0.1:0", "--Releases:BehindProxy=true" },
        new[] { "--urls=http://127.0.0.1:0", $"--Kestrel:Endpoints:Http:Url=http://0.0.0.0:{FreePort.Next()}" },
        new[] { $"--urls=http://0.0.0.0:{FreePort.Next()}" },
        new[] { $"--urls=http://127.0.0.1:0;http://[::]:{FreePort.Next()}" },
        new[] { $"--urls=http://*:{FreePort.Next()}" },
        new[] { $"--urls=http://releases.example.com:{FreePort.Next()}" },
    };

    [Theory]
    [MemberData(nameof(ExposedSettings))]
    public async Task The_service_refuses_to_start_where_others_could_reach_the_development_login(string[] settings)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ReleasesApplication.BuildAsync(Args(settings)));

        Assert.StartsWith(ReleasesApplication.StartRefusal, error.Message);
        Assert.Contains("Auth:AllowDevelopmentLogin", error.Message);
    }

    [Fact]
    public async Task With_AllowDevelopmentLogin_it_starts_behind_a_proxy()
    {
        await using var app = await ReleasesApplication.BuildAsync(Args("--urls=http://127.0.0.1:0", "--Releases:BehindProxy=true", "--Auth:AllowDevelopmentLogin=true"));
        await app.StartAsync();
        await app.StopAsync();
    }

    [Fact]
    public async Task An_address_added_outside_the_configuration_is_caught_once_the_server_listens()
    {
        await using var app = await ReleasesApplication.BuildAsync(Args("--urls=http://127.0.0.1:0"));
        app.Urls.Clear();
        app.Urls.Add("http://0.0.0.0:0"); // as code that configures Kestrel directly would

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());
        await app.StopAsync();

        Assert.Contains("Auth:AllowDevelopmentLogin", error.Message);
        Assert.Contains("0.0.0.0", error.Message);
    }

    [Fact]
    public async Task The_executable_exits_with_1_naming_the_setting_when_ASPNETCORE_URLS_is_not_loopback()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _folder.Path,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OrleansReleases.dll"));
        foreach (var arg in Args())
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_URLS"] = $"http://0.0.0.0:{FreePort.Next()}";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("Auth:AllowDevelopmentLogin", await stderr + await stdout);
        Assert.DoesNotContain("Now listening", await stdout);
    }

    [Fact]
    public async Task The_development_login_answers_403_to_a_request_from_another_machine()
    {
        await using var app = await ReleasesApplication.BuildAsync(Args("--urls=http://127.0.0.1:0"));
        app.Use((context, next) =>
        {
            // What a connection from elsewhere looks like (a test cannot dial in from another host).
            if (context.Request.Headers.ContainsKey("X-Test-Remote"))
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(context.Request.Headers["X-Test-Remote"]!);
            }

            return next(context);
        });
        await app.StartAsync();
        using var client = new ApiClient(new Uri(app.Urls.First()));
        var request = new HttpRequestMessage(HttpMethod.Get, "/auth/dev-login?user=mallory&roles=release-qa");
        request.Headers.Add("X-Test-Remote", "203.0.113.7");

        var response = await client.Http.SendAsync(request);

        var problem = await ExpectProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Contains("Auth:AllowDevelopmentLogin", (string?)problem["detail"]);
        Assert.DoesNotContain(response.Headers, header => header.Key == "Set-Cookie");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
        await client.SignInAsync("alice"); // from this machine it still works
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public async Task A_development_login_session_is_refused_after_a_restart_with_single_sign_on()
    {
        var data = _folder.Folder("data");
        string session;
        await using (var before = await ServiceHost.StartAsync(data))
        {
            using var mallory = await before.SignedInAsync("mallory", DevLead, Qa, "release-admin");
            Assert.Equal(HttpStatusCode.OK, (await mallory.GetAsync("/api/me")).StatusCode);
            session = mallory.Cookies.GetCookies(before.BaseAddress)[AuthenticationSetup.SessionCookieName]!.Value;
        }

        // The provider is not even up: sessions are checked without it.
        await using var after = await ServiceHost.StartAsync(data,
            "Auth:Keycloak:Issuer=http://127.0.0.1:9/realms/test", "Auth:Keycloak:ClientId=orleans-releases", "Auth:Keycloak:RequireHttpsMetadata=false");
        var cookies = after.Service<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme);

        // The old cookie still decrypts (the keys are in the database), so it is refused on purpose.
        var ticket = cookies.TicketDataFormat.Unprotect(session);
        Assert.NotNull(ticket);
        Assert.Equal("mallory", ticket.Principal.Identity?.Name);
        Assert.True(DevelopmentLoginEndpoints.MadeByDevelopmentLogin(ticket.Principal));

        var refused = await SendWithSessionAsync(after, session, "/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains(refused.Headers.GetValues("Set-Cookie"), c => c.StartsWith($"{AuthenticationSetup.SessionCookieName}=;", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendWithSessionAsync(after, session, "/api/releases")).StatusCode);

        // A session without the claim, as the development login made them before it added one, is refused too.
        var unmarked = new ClaimsIdentity([new Claim(ClaimTypes.Name, "mallory")], DevelopmentLoginEndpoints.AuthenticationType);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendWithSessionAsync(after, Protect(cookies, unmarked), "/api/me")).StatusCode);

        // The reverse holds: a session the provider made is accepted.
        var single = new ClaimsIdentity([new Claim(ClaimTypes.Name, "alice"), new Claim(DevelopmentLoginEndpoints.MethodClaim, "oidc"),
            new Claim(ClaimsPrincipalExtensions.ActorIdClaim, "http://127.0.0.1:9/realms/test|alice-sub"),
            new Claim(SessionRules.StartedClaim, DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture))], "oidc", ClaimTypes.Name, ClaimTypes.Role);
        Assert.Equal(HttpStatusCode.OK, (await SendWithSessionAsync(after, Protect(cookies, single), "/api/me")).StatusCode);

        // Unless it was made before sessions carried the person's id: sign in again (fail closed).
        var nameOnly = new ClaimsIdentity([new Claim(ClaimTypes.Name, "alice"), new Claim(DevelopmentLoginEndpoints.MethodClaim, "oidc")], "oidc", ClaimTypes.Name, ClaimTypes.Role);
        var refusedOld = await SendWithSessionAsync(after, Protect(cookies, nameOnly), "/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, refusedOld.StatusCode);
        Assert.Contains(refusedOld.Headers.GetValues("Set-Cookie"), c => c.StartsWith($"{AuthenticationSetup.SessionCookieName}=;", StringComparison.Ordinal));
    }

    private static string Protect(CookieAuthenticationOptions cookies, ClaimsIdentity identity) =>
        cookies.TicketDataFormat.Protect(new AuthenticationTicket(new ClaimsPrincipal(identity),
            new AuthenticationProperties { IssuedUtc = DateTimeOffset.UtcNow, ExpiresUtc = DateTimeOffset.UtcNow.AddHours(1) },
            CookieAuthenticationDefaults.AuthenticationScheme));

    private static async Task<HttpResponseMessage> SendWithSessionAsync(ServiceHost host, string session, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", $"{AuthenticationSetup.SessionCookieName}={session}");
        request.Headers.Add("X-Requested-With", "XMLHttpRequest");
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = host.BaseAddress };
        return await client.SendAsync(request);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
