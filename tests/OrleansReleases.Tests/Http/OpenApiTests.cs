using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansReleases.Tests.Support;
using static OrleansReleases.Tests.Support.ApiClient;

namespace OrleansReleases.Tests.Http;

/// <summary>
/// The OpenAPI document of /api: every operation declares the problems it can answer with, the
/// checked-in copy (docs/openapi.json, which the dashboard's types come from) is the document the
/// service serves, and the readable reference at /api/docs is for signed-in users.
/// </summary>
public sealed class OpenApiTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    /// <summary>Set to 1 to write the served document to docs/openapi.json instead of comparing.</summary>
    public const string RegenerateVariable = "REGENERATE_OPENAPI";

    private const string RegenerateCommand =
        "REGENERATE_OPENAPI=1 dotnet test tests/OrleansReleases.Tests --filter FullyQualifiedName~OpenApiTests, then cd web && npm run generate:api";

    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    private readonly ServiceHost _host = fixture.Host;

    [Fact]
    public async Task Every_operation_is_named_summarised_and_declares_401_as_a_problem()
    {
        var operations = Operations(await DocumentAsync()).ToList();
        Assert.True(operations.Count >= 11, $"Expected the whole API, found {operations.Count} operations");

        foreach (var (method, path, operation) in operations)
        {
            Assert.False(string.IsNullOrEmpty((string?)operation["operationId"]), $"{method} {path} has no name");
            Assert.False(string.IsNullOrEmpty((string?)operation["summary"]), $"{method} {path} has no summary");
            Assert.True(Statuses(operation).Contains("401"), $"{method} {path} does not list 401");
        }
    }

    [Fact]
    public async Task Approvals_list_403_and_409_and_edits_list_412()
    {
        var document = await DocumentAsync();
        var approve = document["paths"]!["/api/releases/{id}/approve/{kind}"]!;

        foreach (var method in new[] { "post", "delete" })
        {
            Assert.Superset(new HashSet<string> { "200", "401", "403", "404", "409" }, Statuses(approve[method]!));
        }

        Assert.Contains("412", Statuses(document["paths"]!["/api/releases/{id}"]!["patch"]!));
        Assert.Contains("412", Statuses(document["paths"]!["/api/releases/{id}/repos/{name}"]!["patch"]!));
        Assert.Superset(new HashSet<string> { "400", "409", "413", "415", "422" }, Statuses(document["paths"]!["/api/releases"]!["post"]!));
        Assert.Superset(new HashSet<string> { "404", "409" }, Statuses(document["paths"]!["/api/releases/{id}/deploy"]!["post"]!));
    }

    [Fact]
    public async Task Every_problem_answer_is_described_as_application_problem_json()
    {
        var document = await DocumentAsync();
        var problemSchema = document["components"]!["schemas"]!["ProblemDetails"];
        Assert.NotNull(problemSchema);

        foreach (var (method, path, operation) in Operations(document))
        {
            foreach (var (status, response) in operation["responses"]!.AsObject())
            {
                if (status.StartsWith('2'))
                {
                    continue;
                }

                var content = response!["content"]?.AsObject();
                Assert.True(content is not null && content.ContainsKey("application/problem+json"), $"{method} {path} {status} is not a problem");
                Assert.Equal("#/components/schemas/ProblemDetails", (string?)content["application/problem+json"]!["schema"]!["$ref"]);
                Assert.False(string.IsNullOrEmpty((string?)response["description"]));
            }
        }
    }

    [Fact]
    public async Task Schemas_say_which_fields_are_always_there_and_which_may_be_null()
    {
        var schemas = (await DocumentAsync())["components"]!["schemas"]!;

        var release = schemas["ReleaseView"]!;
        Assert.Contains("devApproval", release["required"]!.AsArray().Select(n => (string)n!));
        Assert.Contains("\"null\"", release["properties"]!["devApproval"]!.ToJsonString());
        Assert.Equal("integer", (string?)release["properties"]!["version"]!["type"]);
        Assert.Equal(["pending", "approved", "deployed", "deploying"], schemas["ReleaseStatus"]!["enum"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("string", (string?)schemas["ReleaseStatus"]!["type"]);
        Assert.Null(schemas["UpdateReleaseRequest"]!["required"]); // every field of an edit may be left out
    }

    [Fact]
    public async Task The_checked_in_document_is_the_one_the_service_serves()
    {
        var served = await DocumentAsync();
        var file = Path.Combine(RepositoryRoot(), "docs", "openapi.json");

        if (Environment.GetEnvironmentVariable(RegenerateVariable) == "1")
        {
            await File.WriteAllTextAsync(file, served.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            return;
        }

        Assert.True(File.Exists(file), $"{file} is missing. Regenerate it: {RegenerateCommand}");
        var checkedIn = JsonNode.Parse(await File.ReadAllTextAsync(file));
        Assert.True(JsonNode.DeepEquals(checkedIn, served),
            $"docs/openapi.json differs from the document the service serves at /openapi/v1.json. Regenerate it: {RegenerateCommand}");
    }

    [Fact]
    public async Task The_API_reference_is_for_signed_in_users_and_loads_its_assets()
    {
        using var anonymous = _host.Client();
        using var alice = await _host.SignedInAsync("alice");

        await ExpectProblemAsync(await anonymous.GetAsync("/api/docs"), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/docs/scalar.js")).StatusCode);

        var page = await alice.GetAsync("/api/docs/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("openapi/v1.json", html);

        var script = await alice.GetAsync("/api/docs/scalar.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Contains("javascript", script.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/openapi/v2.json")]
    [InlineData("/openapi/nothing")]
    [InlineData("/api/nothing")]
    [InlineData("/hubs/nothing")]
    [InlineData("/auth/nothing")]
    [InlineData("/webhooks/nothing")]
    public async Task Unknown_paths_outside_the_dashboard_are_404_problems_whatever_the_client_accepts(string path)
    {
        using var alice = await _host.SignedInAsync("alice");

        foreach (var accept in new[] { "application/json", "text/html", "*/*" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation("Accept", accept);
            await ExpectProblemAsync(await alice.Http.SendAsync(request), HttpStatusCode.NotFound);
        }
    }

    private async Task<JsonNode> DocumentAsync()
    {
        using var anonymous = _host.Client();
        var response = await anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static IEnumerable<(string Method, string Path, JsonNode Operation)> Operations(JsonNode document) =>
        from path in document["paths"]!.AsObject()
        from method in Methods
        where path.Value![method] is not null
        select (method.ToUpperInvariant(), path.Key, path.Value![method]!);

    private static HashSet<string> Statuses(JsonNode operation) => [.. operation["responses"]!.AsObject().Select(r => r.Key)];

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "OrleansReleases.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No OrleansReleases.sln above {AppContext.BaseDirectory}.");
    }
}
