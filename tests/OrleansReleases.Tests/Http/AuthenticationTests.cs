using System.Net;
using OrleansReleases.Tests.Support;
using static OrleansReleases.Tests.Support.ApiClient;

namespace OrleansReleases.Tests.Http;

/// <summary>Sign-in guards every API route; the development login and the CSRF rule behave as docs/api.md says.</summary>
public sealed class AuthenticationTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private readonly ServiceHost _host = fixture.Host;

    [Fact]
    public async Task Every_api_route_answers_401_without_sign_in()
    {
        using var anonymous = _host.Client();
        var routes = ApiRoutes.Of(_host);
        Assert.True(routes.Count >= 10, $"Expected the whole API, found {routes.Count} routes");
        Assert.Contains(routes, route => route.Path.StartsWith("/api/docs", StringComparison.Ordinal)); // the API reference too

        foreach (var (method, path) in routes)
        {
            var response = await anonymous.SendRawAsync(new HttpMethod(method), path, method is "GET" or "DELETE" ? null : "{}");
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task A_cookie_change_without_X_Requested_With_is_403_and_changes_nothing()
    {
        using var alice = await _host.SignedInAsync("alice");
        var id = (string)(await alice.CreateReleaseAsync())["id"]!;
        using var noHeader = new ApiClient(_host.BaseAddress, sendXRequestedWith: false);
        await noHeader.SignInAsync("mallory", DevLead);

        await ExpectProblemAsync(await noHeader.PatchAsync($"/api/releases/{id}", new { notes = "forged" }), HttpStatusCode.Forbidden);
        await ExpectProblemAsync(await noHeader.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.Forbidden);
        await ExpectProblemAsync(await noHeader.PostAsync("/api/releases", new { sourceBranch = "uat", destBranch = "master" }), HttpStatusCode.Forbidden);

        Assert.Equal(1, (int)(await alice.GetJsonAsync($"/api/releases/{id}"))["version"]!);
        Assert.Equal(HttpStatusCode.OK, (await noHeader.GetAsync($"/api/releases/{id}")).StatusCode); // reads need no header
    }

    [Fact]
    public async Task Me_tells_who_is_signed_in_and_what_they_may_approve()
    {
        using var dana = await _host.SignedInAsync("dana", DevLead, "other-role");

        var me = await dana.GetJsonAsync("/api/me");

        Assert.Equal("dana", (string?)me["name"]);
        Assert.Equal("dev:dana", (string?)me["id"]);
        Assert.Equal([DevLead, "other-role"], me["roles"]!.AsArray().Select(r => (string)r!));
        Assert.True((bool)me["canApproveDev"]!);
        Assert.False((bool)me["canApproveQa"]!);
        Assert.False((bool)me["demo"]!);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example")]
    [InlineData("javascript:alert(1)")]
    public async Task The_development_login_refuses_to_redirect_to_another_site(string returnUrl)
    {
        using var client = _host.Client();

        var response = await client.GetAsync($"/auth/dev-login?user=alice&returnUrl={Uri.EscapeDataString(returnUrl)}");

        await ExpectProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task Pages_redirect_to_sign_in_and_signing_out_ends_the_session()
    {
        using var client = _host.Client();
        var page = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/auth/login", page.Headers.Location!.PathAndQuery);

        await client.SignInAsync("alice");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/auth/logout")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
    }
}
