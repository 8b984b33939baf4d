using System.Net;
using OrleansReleases.Tests.Support;
using static OrleansReleases.Tests.Support.ApiClient;

namespace OrleansReleases.Tests.Http;

/// <summary>Bad input gets a 4xx problem answer and leaves the release exactly as it was.</summary>
public sealed class BadInputTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private readonly ServiceHost _host = fixture.Host;

    public static TheoryData<string, string, string?, string?, int> BadChanges => new()
    {
        // method, path under the release ("" is the release itself), body, If-Match, expected status
        { "PATCH", "", "{\"notes\": \"unterminated", null, 400 },
        { "PATCH", "", "{\"notes\": 42}", null, 400 },
        { "PATCH", "", "[\"notes\"]", null, 400 },
        { "PATCH", "", "{\"nots\": \"typo\"}", null, 400 },
        { "PATCH", "", "{}", null, 400 },
        { "PATCH", "", "", null, 400 },
        { "PATCH", "", "{\"notes\": \"x\"}", "\"999\"", 412 },
        { "PATCH", "", "{\"notes\": \"x\"}", "not-a-version", 400 },
        { "PATCH", "", "notes=x", null, 415 },
        { "PATCH", "", new string('[', 100) + new string(']', 100), null, 400 },
        { "PATCH", "/repos/auth-service", "{\"excluded\": \"yes\"}", null, 400 },
        { "PATCH", "/repos/auth-service", "{\"dependsOn\": \"api-gateway\"}", null, 400 },
        { "PATCH", "/repos/auth-service", "{\"dependsOn\": [\"auth-service\"]}", null, 400 },
        { "PATCH", "/repos/auth-service", "{\"dependsOn\": [\"no-such-repo\"]}", null, 400 },
        { "PATCH", "/repos/auth-service", "{\"dependsOn\": [\"\"]}", null, 400 },
        { "PATCH", "/repos/auth-service", "{\"dependsOn\": [null]}", null, 400 },
        { "PATCH", "/repos/no-such-repo", "{\"excluded\": true}", null, 404 },
        { "POST", "/approve/ops", null, null, 404 },
        { "DELETE", "/approve/dev", null, null, 409 },
        { "POST", "/deploy", null, null, 409 },
    };

    [Theory]
    [MemberData(nameof(BadChanges))]
    public async Task A_bad_change_is_refused_with_a_problem_and_changes_nothing(string method, string path, string? body, string? ifMatch, int status)
    {
        using var lead = await _host.SignedInAsync("lee", DevLead);
        var id = (string)(await lead.CreateReleaseAsync())["id"]!;
        var before = (await lead.GetJsonAsync($"/api/releases/{id}")).ToJsonString();

        var response = await lead.SendRawAsync(new HttpMethod(method), $"/api/releases/{id}{path}", body, ifMatch,
            contentType: body == "notes=x" ? "application/x-www-form-urlencoded" : "application/json");

        await ExpectProblemAsync(response, (HttpStatusCode)status);
        Assert.Equal(before, (await lead.GetJsonAsync($"/api/releases/{id}")).ToJsonString());
        Assert.Single((await lead.GetJsonAsync($"/api/releases/{id}/history")).AsArray());
    }

    [Fact]
    public async Task A_body_over_256_KiB_is_413_whether_its_length_is_declared_or_streamed()
    {
        using var alice = await _host.SignedInAsync("alice");
        var id = (string)(await alice.CreateReleaseAsync())["id"]!;
        var huge = $"{{\"notes\": \"{new string('x', 300 * 1024)}\"}}";

        await ExpectProblemAsync(await alice.SendRawAsync(HttpMethod.Patch, $"/api/releases/{id}", huge), HttpStatusCode.RequestEntityTooLarge);

        var streamed = new HttpRequestMessage(HttpMethod.Patch, $"/api/releases/{id}")
        {
            Content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(huge))),
        };
        streamed.Content.Headers.ContentType = new("application/json");
        streamed.Headers.TransferEncodingChunked = true;
        await ExpectProblemAsync(await alice.Http.SendAsync(streamed), HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal(1, (int)(await alice.GetJsonAsync($"/api/releases/{id}"))["version"]!);
    }

    public static TheoryData<string> BadCreations => new()
    {
        "{\"sourceBranch\": \"\", \"destBranch\": \"master\"}",
        "{\"sourceBranch\": \"uat\", \"destBranch\": \"\"}",
        "{\"sourceBranch\": \"   \", \"destBranch\": \"master\"}",
        "{\"destBranch\": \"master\"}",
        "{\"sourceBranch\": \"uat\", \"destBranch\": \"uat\"}",
        "{\"sourceBranch\": \"--output=x\", \"destBranch\": \"master\"}",
        "{\"sourceBranch\": \"uat\", \"destBranch\": \"-c core.pager=x\"}",
        "{\"sourceBranch\": \"uat..master\", \"destBranch\": \"master\"}",
        "{\"sourceBranch\": \"uat\", \"destBranch\": \"master\\u0000\"}",
        "{\"sourceBranch\": \"uat\\u00A0\", \"destBranch\": \"master\"}",
        "{\"sourceBranch\": \"\\u00A0uat\", \"destBranch\": \"master\"}",
        "{\"sourceBranch\": \"uat\\u200B\", \"destBranch\": \"master\"}",
        "{\"sourceBranch\": \"\\u200Buat\", \"destBranch\": \"master\"}",
        "{\"sourceBranch\": \"uat\", \"destBranch\": \"master\\u0085\"}",
        "{\"sourceBranch\": \"uat\", \"destBranch\": \"\\uFEFFmaster\"}",
        "{\"sourceBranch\": \"uat\\u2028\", \"destBranch\": \"master\"}",
        "{\"sourceBranch\": 5, \"destBranch\": \"master\"}",
        "{\"sourceBranch\": \"uat\", \"destBranch\": \"master\", \"notes\": {\"a\": 1}}",
        "{\"sourceBranch\": \"uat\", \"destBranch\": \"master\"",
        "null",
    };

    [Theory]
    [MemberData(nameof(BadCreations))]
    public async Task A_bad_creation_is_400_and_creates_nothing(string body)
    {
        using var alice = await _host.SignedInAsync($"creator-{Guid.NewGuid():N}");
        var me = (string)(await alice.GetJsonAsync("/api/me"))["name"]!;

        await ExpectProblemAsync(await alice.SendRawAsync(HttpMethod.Post, "/api/releases", body), HttpStatusCode.BadRequest);

        Assert.Empty((await alice.GetJsonAsync($"/api/releases?search={me}"))["items"]!.AsArray());
    }

    [Theory]
    [InlineData("/api/releases/nosuchrelease")]
    [InlineData("/api/releases/nosuchrelease/history")]
    [InlineData("/api/releases/..%2F..%2Fetc")]
    [InlineData("/api/releases/NOT-AN-ID!")]
    [InlineData("/api/nosuchroute")]
    public async Task Unknown_ids_and_routes_are_404_problems(string path)
    {
        using var alice = await _host.SignedInAsync("alice");

        await ExpectProblemAsync(await alice.GetAsync(path), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("status=finished")]
    [InlineData("status=1")]
    [InlineData("limit=0")]
    [InlineData("limit=201")]
    [InlineData("limit=ten")]
    [InlineData("cursor=garbage")]
    public async Task Bad_list_parameters_are_400(string query)
    {
        using var alice = await _host.SignedInAsync("alice");

        await ExpectProblemAsync(await alice.GetAsync($"/api/releases?{query}"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Changes_to_an_unknown_release_are_404()
    {
        using var lead = await _host.SignedInAsync("lee", DevLead);

        await ExpectProblemAsync(await lead.PatchAsync("/api/releases/nosuchrelease", new { notes = "x" }), HttpStatusCode.NotFound);
        await ExpectProblemAsync(await lead.PostAsync("/api/releases/nosuchrelease/approve/dev"), HttpStatusCode.NotFound);
        await ExpectProblemAsync(await lead.PostAsync("/api/releases/nosuchrelease/refresh"), HttpStatusCode.NotFound);
    }
}
