using System.Net;
using System.Text;
using OrleansReleases.Tests.Support;

namespace OrleansReleases.Tests.Http;

/// <summary>Thousands of generated bad requests: never a 5xx, and the releases stay exactly as they were.</summary>
[Trait("Category", "Slow")]
public sealed class FuzzTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private const int Requests = 2500;

    private static readonly string[] OddStrings =
    [
        "", " ", "\u0000", "\uFEFF", "\uD800", "🚀🚀🚀", "e\u0301", "\u202Eevil", "../../etc/passwd", "..%2F..%2F", "%00", "--output=/tmp/x",
        "-c core.pager=sh", "uat..master", "refs/heads/../x", "a\nb", "<script>", "' OR 1=1 --", "\\\\server\\share", new string('x', 70_000),
    ];

    [Fact]
    public async Task Generated_bad_requests_never_get_a_5xx_and_change_nothing()
    {
        using var lead = await fixture.Host.SignedInAsync("fuzzer", ApiClient.DevLead, ApiClient.Qa);
        var id = (string)(await lead.CreateReleaseAsync())["id"]!;
        var before = (await lead.GetJsonAsync($"/api/releases/{id}")).ToJsonString();
        var listBefore = (await lead.GetJsonAsync("/api/releases?limit=200")).ToJsonString();
        var random = new Random(20261125); // fixed seed: a failure can be replayed
        var failures = new List<string>();
        var answered = new Dictionary<int, int>();

        for (var i = 0; i < Requests; i++)
        {
            var (method, path, body, contentType) = BadRequest(random, id);
            HttpResponseMessage response;
            try
            {
                response = await lead.SendRawAsync(method, path, body, contentType: contentType);
            }
            catch (InvalidOperationException)
            {
                continue; // the client itself refused the path (not a request the server saw)
            }

            answered[(int)response.StatusCode] = answered.GetValueOrDefault((int)response.StatusCode) + 1;
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"{method} {path} {Truncate(body)} → {(int)response.StatusCode}");
            }
        }

        Assert.Empty(failures);
        Assert.True(answered.Values.Sum() >= Requests * 9 / 10, "most generated requests reached the server");
        Assert.True(answered.Keys.Count(status => status is >= 400 and < 500) >= 4, $"a variety of refusals: {string.Join(", ", answered)}");
        Assert.Equal(before, (await lead.GetJsonAsync($"/api/releases/{id}")).ToJsonString());
        Assert.Equal(listBefore, (await lead.GetJsonAsync("/api/releases?limit=200")).ToJsonString());
    }

    private static (HttpMethod, string, string?, string) BadRequest(Random random, string id)
    {
        string Odd() => OddStrings[random.Next(OddStrings.Length)];
        string Escaped()
        {
            var text = Odd();
            text = text.Length > 2000 ? text[..2000] : text;
            // A lone surrogate cannot be percent-encoded as UTF-8; send its raw form instead.
            return text.Contains('\uD800') ? "%ED%A0%80" : Uri.EscapeDataString(text);
        }

        var json = "application/json";
        return random.Next(12) switch
        {
            0 => (HttpMethod.Patch, $"/api/releases/{id}", Nested(random), json),
            1 => (HttpMethod.Patch, $"/api/releases/{id}", $"{{\"notes\": {WrongValue(random)}}}", json),
            2 => (HttpMethod.Patch, $"/api/releases/{id}", $"{{\"notes\": \"{Odd()}\", \"notes\": 1}}", json),
            3 => (HttpMethod.Patch, $"/api/releases/{id}/repos/{Escaped()}", $"{{\"excluded\": {WrongValue(random)}}}", json),
            4 => (HttpMethod.Patch, $"/api/releases/{id}/repos/auth-service", $"{{\"dependsOn\": [\"{Odd().Replace("\"", "")}\"]}}", json),
            5 => (HttpMethod.Post, "/api/releases", $"{{\"sourceBranch\": {Json(Odd())}, \"destBranch\": {Json(Odd())}}}", json),
            6 => (HttpMethod.Get, $"/api/releases?limit={random.Next(-5, 100_000)}&cursor={Escaped()}&status={Escaped()}&search={Escaped()}", null, json),
            7 => (HttpMethod.Get, $"/api/releases/{Escaped()}", null, json),
            8 => (HttpMethod.Post, $"/api/releases/{id}/approve/{Escaped()}", null, json),
            9 => (HttpMethod.Patch, $"/api/releases/{id}", RandomBytes(random), random.Next(2) == 0 ? json : "text/plain"),
            10 => (HttpMethod.Patch, $"/api/releases/{id}", $"{{\"breakingChanges\": \"{new string('y', 300_000)}\"}}", json),
            _ => (HttpMethod.Delete, $"/api/releases/{Escaped()}/approve/qa", null, json),
        };
    }

    private static string Json(string text) => System.Text.Json.JsonSerializer.Serialize(text.Length > 1000 ? text[..1000] : text);

    private static string WrongValue(Random random) => random.Next(6) switch
    {
        0 => "12345678901234567890123456789",
        1 => "[1, {\"a\": null}]",
        2 => "{\"$type\": \"System.IO.FileInfo\"}",
        3 => "tru",
        4 => "1e999",
        _ => "\"\\uD800\"",
    };

    private static string Nested(Random random)
    {
        var depth = random.Next(20, 400);
        var builder = new StringBuilder("{\"notes\": ");
        for (var i = 0; i < depth; i++)
        {
            builder.Append(random.Next(2) == 0 ? "[" : "{\"a\": ");
        }

        return builder.ToString(); // unterminated as well as too deep
    }

    private static string RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 600)];
        random.NextBytes(bytes);
        return Encoding.Latin1.GetString(bytes);
    }

    private static string Truncate(string? body) => body is null ? "" : body.Length > 80 ? body[..80] + "…" : body;
}
