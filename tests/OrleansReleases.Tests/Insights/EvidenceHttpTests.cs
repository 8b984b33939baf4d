using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansReleases.Tests.Support;
using Xunit;
using static OrleansReleases.Tests.Support.ApiClient;
using static OrleansReleases.Tests.Support.ThreeLayerRepos;

namespace OrleansReleases.Tests.Insights;

/// <summary>The release evidence (its digest recomputed here, independently) and the audit stream, over HTTP.</summary>
public sealed class EvidenceHttpTests() : ServiceOverRepos<ThreeLayerRepos>(ThreeLayerRepos.Create, repos => repos.Source)
{
    [Fact]
    public async Task The_evidence_holds_everything_and_its_digest_recomputes()
    {
        var id = await InsightsHttpTests.DeployedReleaseAsync(Host, Repos);
        using var auditor = await Host.SignedInAsync("audrey");

        var response = await auditor.GetAsync($"/api/releases/{id}/evidence");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Contains($"release-{id}-evidence.json", response.Content.Headers.ContentDisposition?.FileName);
        var document = JsonNode.Parse(body)!;

        var digest = document["digest"]!;
        Assert.Equal("SHA-256", (string?)digest["algorithm"]);
        Assert.Equal("content", (string?)digest["of"]);
        Assert.Equal(Sha256Hex(Canonical(document["content"])), (string?)digest["value"]);
        Assert.True(DateTime.Parse((string)document["generatedAt"]!, CultureInfo.InvariantCulture) > DateTime.UtcNow.AddMinutes(-5));

        var content = document["content"]!;
        Assert.Equal(id, (string?)content["release"]!["id"]);
        var db = content["repos"]!.AsArray().Single(r => (string)r!["name"]! == Db)!;
        Assert.Equal(Repos.HeadOf(Db), (string?)db["headSha"]);
        var newest = db["commits"]![0]!;
        Assert.Equal(Repos.HeadOf(Db), (string?)newest["sha"]);
        Assert.False(string.IsNullOrEmpty((string?)newest["author"]));
        Assert.False(string.IsNullOrEmpty((string?)newest["subject"]));
        Assert.Null(db["commitsUnreadable"]);
        var approvals = content["approvals"]!.AsArray();
        Assert.Equal(["dev", "qa"], approvals.Select(a => (string)a!["kind"]!));
        Assert.Contains(approvals[0]!["covers"]!.AsArray(), c => (string)c!["repo"]! == Db && (string)c["sha"]! == Repos.HeadOf(Db));
        Assert.Equal(3, content["checks"]!.AsArray().Count);
        var reports = content["deploymentReports"]!.AsArray();
        Assert.Equal(["in_progress", "failure", "in_progress", "success"],
            reports.Where(r => (string)r!["repo"]! == Db).Select(r => (string)r!["state"]!));
        Assert.Empty(content["freezeOverrides"]!.AsArray());
        var history = content["history"]!.AsArray();
        Assert.Equal("created", (string?)history[0]!["action"]);
        Assert.Equal("deployed", (string?)history[^1]!["action"]);

        // Change one character of the content and the digest no longer matches.
        content["release"]!["notes"] = "edited afterwards";
        Assert.NotEqual(Sha256Hex(Canonical(content)), (string?)digest["value"]);

        await ExpectProblemAsync(await auditor.GetAsync("/api/releases/zzzzzzzzzz/evidence"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_audit_streams_every_entry_in_the_range_oldest_first_as_json_lines()
    {
        var first = await ApprovedReleaseAsync(Host);
        var second = await ApprovedReleaseAsync(Host);
        using var auditor = await Host.SignedInAsync("audrey");

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var response = await auditor.GetAsync($"/api/audit?from={today}&to={today}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var entries = lines.Select(l => JsonNode.Parse(l)!).ToList();

        // The first release: created, two dependencies, two approvals; the second carries the dependencies over.
        Assert.Equal(8, entries.Count);
        Assert.Equal(5, entries.Count(e => (string)e["releaseId"]! == first));
        Assert.Equal(3, entries.Count(e => (string)e["releaseId"]! == second));
        var times = entries.Select(e => DateTime.Parse((string)e["at"]!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal)).ToList();
        Assert.Equal(times.Order(), times);
        Assert.Equal("created", (string?)entries[0]["action"]);
        Assert.Equal(first, (string?)entries[0]["releaseId"]);
        Assert.All(entries, e => Assert.NotNull(e["changes"]));
        Assert.Equal("dana", (string?)entries[0]["actor"]);
        Assert.Equal("dev:dana", (string?)entries[0]["actorId"]);

        var earlier = await auditor.GetAsync("/api/audit?from=2020-01-01&to=2020-12-31");
        Assert.Equal("", await earlier.Content.ReadAsStringAsync());
        await ExpectProblemAsync(await auditor.GetAsync("/api/audit?from=2026-02-30"), HttpStatusCode.BadRequest);
        await ExpectProblemAsync(await auditor.GetAsync("/api/audit?from=2026-03-02&to=2026-03-01"), HttpStatusCode.BadRequest);
        using var anonymous = Host.Client();
        await ExpectProblemAsync(await anonymous.GetAsync("/api/audit"), HttpStatusCode.Unauthorized);
    }

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>RFC 8785 for what the evidence holds, written here on its own so the test does not trust the service's.</summary>
    private static string Canonical(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => Quote(p.Key) + ":" + Canonical(p.Value))) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Quote(v.GetValue<string>()),
        _ => node.ToJsonString(),
    };

    private static string Quote(string s)
    {
        var text = new StringBuilder("\"");
        foreach (var c in s)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\b' => "\\b",
                '\f' => "\\f",
                < ' ' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return text.Append('"').ToString();
    }
}
