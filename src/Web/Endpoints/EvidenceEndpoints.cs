using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Insights;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Web.Problems;
using static Microsoft.AspNetCore.Http.StatusCodes;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace OrleansReleases.Web.Endpoints;

/// <summary>
/// How to check <see cref="EvidenceDocument.Content"/>: <see cref="Value"/> is the lower-case hex
/// <see cref="Algorithm"/> of the UTF-8 bytes of <see cref="Of"/> written as <see cref="Canonicalization"/> says.
/// </summary>
public sealed record EvidenceDigest(string Algorithm, string Of, string Canonicalization, string Value);

/// <summary>The evidence of one release: when it was made, the digest of its content, and the content.</summary>
public sealed record EvidenceDocument(DateTime GeneratedAt, EvidenceDigest Digest, EvidenceContent Content);

/// <summary>The query of <c>GET /api/audit</c>: a range of UTC days as ISO dates.</summary>
public sealed record AuditQuery(
    [FromQuery(Name = "from")] string? From,
    [FromQuery(Name = "to")] string? To);

/// <summary>For auditors: <c>/api/releases/{id}/evidence</c> (one document per release) and <c>/api/audit</c> (every history entry, as JSON lines).</summary>
public static class EvidenceEndpoints
{
    public const string JsonLines = "application/x-ndjson";

    private static readonly ReadOnlyMemory<byte> NewLine = "\n"u8.ToArray();

    public const string Canonicalization = "RFC 8785 (JCS): no whitespace, members sorted by name, minimal string escaping";

    public static RouteGroupBuilder MapEvidenceEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/releases/{id}/evidence", GetEvidenceAsync)
            .WithTags("Evidence")
            .WithName("GetReleaseEvidence")
            .WithSummary("One document an auditor can keep: the release, its commits, approvals, checks, deployment reports, freeze overrides and history")
            .WithDescription("digest.value is the lower-case hex SHA-256 of the UTF-8 bytes of content written as canonical JSON (RFC 8785: "
                + "no whitespace, object members sorted by name, strings with only \", \\ and control characters escaped). "
                + "Sent as an attachment (release-<id>-evidence.json). 404 for an unknown release.")
            .ProducesReleaseProblems(Status404NotFound);

        api.MapGet("/audit", StreamAudit)
            .WithTags("Evidence")
            .WithName("StreamAudit")
            .WithSummary("Every history entry of every release in a range, as JSON lines")
            .WithDescription("application/x-ndjson: one AuditEntry per line, oldest first (then by release and version), streamed from the database. "
                + "from and to are ISO dates (UTC days, both included), by default the last 90 days. 400 for a bad date, from after to, or a range over 1100 days.")
            .Produces<AuditEntry>(Status200OK, JsonLines)
            .ProducesReleaseProblems(Status400BadRequest);
        return api;
    }

    public static async Task<Ok<EvidenceDocument>> GetEvidenceAsync(string id, IGrainFactory grains, ReleaseEvidence evidence,
        IOptions<HttpJsonOptions> json, TimeProvider clock, HttpContext context, CancellationToken cancellationToken)
    {
        var release = (ReleaseId.IsWellFormed(id) ? await grains.GetGrain<IReleaseGrain>(id).Get() : null)
            ?? throw new ReleaseRuleException(RuleViolation.NotFound, $"Release {id} not found.");
        var content = await evidence.GatherAsync(release, cancellationToken);
        // The content as this answer writes it, made canonical: what an auditor recomputes from the document.
        var canonical = CanonicalJson.Serialize(JsonSerializer.SerializeToUtf8Bytes(content, json.Value.SerializerOptions));
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        context.Response.Headers[HeaderNames.ContentDisposition] = $"attachment; filename=\"release-{release.Id}-evidence.json\"";
        context.Response.Headers[HeaderNames.CacheControl] = "no-store";
        return TypedResults.Ok(new EvidenceDocument(clock.GetUtcNow().UtcDateTime, new EvidenceDigest("SHA-256", "content", Canonicalization, digest), content));
    }

    public static Results<PushStreamHttpResult, ProblemHttpResult> StreamAudit(
        [AsParameters] AuditQuery query, SqlHistoryReader history, IOptions<HttpJsonOptions> json, TimeProvider clock, HttpContext context)
    {
        if (InsightsEndpoints.ParseRange(query.From, query.To, clock) is not { } range)
        {
            return ReleaseProblems.BadRequest(InsightsEndpoints.RangeProblem(query.From, query.To, clock)!);
        }

        var options = json.Value.SerializerOptions;
        return TypedResults.Stream(async body =>
        {
            var written = 0;
            await foreach (var entry in history.AuditAsync(range.Start, range.End, context.RequestAborted))
            {
                await JsonSerializer.SerializeAsync(body, entry, options, context.RequestAborted);
                await body.WriteAsync(NewLine, context.RequestAborted);
                if (++written % 100 == 0)
                {
                    await body.FlushAsync();
                }
            }
        }, $"{JsonLines}; charset=utf-8");
    }
}
