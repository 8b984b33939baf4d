using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Tests.Storage;

/// <summary>Release state is stored as plain JSON without .NET type names, so stored rows outlive renames.</summary>
public sealed class StateJsonSerializerTests
{
    /// <summary>A payload exactly as this version stores it. Keep it: reading it proves old files still load.</summary>
    private const string StoredPayload = """
        {"id":"k3m9x2p7qa","sourceBranch":"uat","destBranch":"master","status":"approved","notes":"Deploy auth first",
         "breakingChanges":"","createdBy":"alice","createdAt":"2026-11-24T10:00:00.123Z","lastRefreshedAt":"2026-11-24T10:05:00Z",
         "version":4,"approvals":{"dev":{"by":"dana","at":"2026-11-24T11:00:00Z"},"qa":{"by":"quinn","at":"2026-11-24T12:00:00Z"}},
         "repos":[{"name":"auth-service","commitCount":2,"contributors":["Alice","Bob"],"headSha":"abc123","prNumber":null,"prUrl":null,
                   "excluded":false,"dependsOn":[]},
                  {"name":"api-gateway","commitCount":1,"contributors":["Carol"],"headSha":"def456","prNumber":12,
                   "prUrl":"https://example.test/pr/12","excluded":true,"dependsOn":["auth-service"]}],
         "warnings":[],"unpublishedHistory":[{"version":4,"at":"2026-11-24T12:00:00Z","actor":"quinn","action":"approved-qa","detail":"QA approval given"}]}
        """;

    /// <summary>
    /// A payload as stored before approvals were kept together (top-level <c>devApproval</c> and
    /// <c>qaApproval</c>). Keep it: releases stored then must still load with their approvals.
    /// </summary>
    private const string PayloadBeforeApprovals = """
        {"id":"k3m9x2p7qa","sourceBranch":"uat","destBranch":"master","status":"approved","notes":"Deploy auth first",
         "breakingChanges":"","createdBy":"alice","createdAt":"2026-11-24T10:00:00.123Z","lastRefreshedAt":"2026-11-24T10:05:00Z",
         "version":4,"devApproval":{"by":"dana","at":"2026-11-24T11:00:00Z"},"qaApproval":{"by":"quinn","at":"2026-11-24T12:00:00Z"},
         "repos":[{"name":"auth-service","commitCount":2,"contributors":["Alice","Bob"],"headSha":"abc123","prNumber":null,"prUrl":null,
                   "excluded":false,"dependsOn":[]},
                  {"name":"api-gateway","commitCount":1,"contributors":["Carol"],"headSha":"def456","prNumber":12,
                   "prUrl":"https://example.test/pr/12","excluded":true,"dependsOn":["auth-service"]}],
         "warnings":[],"unpublishedHistory":[{"version":4,"at":"2026-11-24T12:00:00Z","actor":"quinn","action":"approved-qa","detail":"QA approval given"}]}
        """;

    [Theory]
    [InlineData(StoredPayload)]
    [InlineData(PayloadBeforeApprovals)]
    public void A_stored_payload_of_this_version_or_the_previous_reads_back_completely(string payload)
    {
        var state = new StateJsonSerializer().Deserialize<ReleaseState>(BinaryData.FromString(payload));

        Assert.Equal("k3m9x2p7qa", state.Id);
        Assert.Equal(ReleaseStatus.Approved, state.Status);
        Assert.Equal(4, state.Version);
        Assert.Equal(new Approval("dana", new DateTime(2026, 11, 24, 11, 0, 0, DateTimeKind.Utc), []), state.Approvals.Get(ApprovalKind.Dev));
        Assert.Equal("quinn", state.Approvals.Get(ApprovalKind.Qa)!.By);
        Assert.Empty(state.Approvals.Get(ApprovalKind.Qa)!.Covers); // stored before covers: reads as covering nothing
        Assert.True(state.Approvals.IsComplete);
        Assert.Equal(DateTimeKind.Utc, state.CreatedAt.Kind);
        Assert.Equal(["auth-service"], state.Repos[1].DependsOn);
        Assert.True(state.Repos[1].Excluded);
        Assert.Equal(12, state.Repos[1].PrNumber);
        Assert.Equal("approved-qa", Assert.Single(state.UnpublishedHistory).Action);
    }

    [Fact]
    public void The_stored_JSON_has_no_type_names_and_round_trips()
    {
        var serializer = new StateJsonSerializer();
        var original = serializer.Deserialize<ReleaseState>(BinaryData.FromString(StoredPayload));

        var json = serializer.Serialize(original).ToString();
        var again = serializer.Deserialize<ReleaseState>(BinaryData.FromString(json));

        Assert.DoesNotContain("$type", json);
        Assert.DoesNotContain("OrleansReleases", json);
        Assert.Equal(serializer.Serialize(again).ToString(), json);
    }

    [Fact]
    public void A_release_stored_before_approvals_were_kept_together_is_written_back_in_the_new_shape()
    {
        var serializer = new StateJsonSerializer();
        var old = serializer.Deserialize<ReleaseState>(BinaryData.FromString(PayloadBeforeApprovals));

        var json = System.Text.Json.Nodes.JsonNode.Parse(serializer.Serialize(old).ToString())!;

        Assert.Null(json["devApproval"]);
        Assert.Null(json["qaApproval"]);
        Assert.Equal("dana", (string?)json["approvals"]!["dev"]!["by"]);
        Assert.Equal("quinn", (string?)json["approvals"]!["qa"]!["by"]);
    }

    [Fact]
    public void Only_the_approvals_given_are_stored_and_an_unknown_kind_is_skipped()
    {
        var serializer = new StateJsonSerializer();
        var state = new ReleaseState { Id = "r1", Version = 2 };
        state.Approvals.Give(ApprovalKind.Qa, new Approval("quinn", new DateTime(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc), [new("auth-service", "abc123")]));

        var json = serializer.Serialize(state).ToString();
        var withFutureKind = json.Replace("\"approvals\":{", "\"approvals\":{\"security\":{\"by\":\"sam\",\"at\":\"2026-11-24T12:00:00Z\"},", StringComparison.Ordinal);
        var again = serializer.Deserialize<ReleaseState>(BinaryData.FromString(withFutureKind));

        Assert.Contains("\"approvals\":{\"qa\":", json);
        Assert.Contains("\"covers\":[{\"repo\":\"auth-service\",\"sha\":\"abc123\"}]", json);
        Assert.Null(again.Approvals.Get(ApprovalKind.Dev));
        Assert.Equal("quinn", again.Approvals.Get(ApprovalKind.Qa)?.By);
        Assert.Equal([new CoveredCommit("auth-service", "abc123")], again.Approvals.Get(ApprovalKind.Qa)!.Covers);
    }
}
