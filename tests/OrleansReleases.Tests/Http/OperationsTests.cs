using System.Net;
using System.Text.Json.Nodes;
using OrleansReleases.Tests.Support;

namespace OrleansReleases.Tests.Http;

/// <summary>Health, readiness, the OpenAPI document and the operator dashboard.</summary>
public sealed class OperationsTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private readonly ServiceHost _host = fixture.Host;

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Health_and_readiness_answer_anyone(string path)
    {
        using var anonymous = _host.Client();

        var response = await anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_every_api_route_and_nothing_else()
    {
        using var anonymous = _host.Client();

        var document = JsonNode.Parse(await (await anonymous.GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync())!;

        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/releases", paths);
        Assert.Contains("/api/releases/{id}/approve/{kind}", paths);
        Assert.Contains("/api/me", paths);
        Assert.All(paths, path => Assert.StartsWith("/api/", path));
        // Every route under /api but the reference made from this document (/api/docs).
        var routes = ApiRoutes.Of(_host).Select(r => r.Path).Where(path => !path.StartsWith("/api/docs", StringComparison.Ordinal)).Distinct().Count();
        Assert.Equal(routes, paths.Count);
    }

    [Fact]
    public async Task The_Orleans_dashboard_is_for_the_admin_role_only()
    {
        using var anonymous = _host.Client();
        using var lead = await _host.SignedInAsync("dana", ApiClient.DevLead);
        using var admin = await _host.SignedInAsync("ops", "release-admin");

        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync("/ops/orleans")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await lead.GetAsync("/ops/orleans")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/ops/orleans/")).StatusCode);
    }
}
