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
         "version":4,"devApproval":{"by":"dana","at":"2026-11-24T11:00:00Z"},"qaApproval":{"by":"quinn","at":"2026-11-24T12:00:00Z"},
         "repos":[{"name":"auth-service","commitCount":2,"contributors":["Alice","Bob"],"headSha":"abc123","prNumber":null,"prUrl":null,
                   "excluded":false,"dependsOn":[]},
                  {"name":"api-gateway","commitCount":1,"contributors":["Carol"],"headSha":"def456","prNumber":12,
                   "prUrl":"https://example.test/pr/12","excluded":true,"dependsOn":["auth-service"]}],
         "warnings":[],"unpublishedHistory":[{"version":4,"at":"2026-11-24T12:00:00Z","actor":"quinn","action":"approved-qa","detail":"QA approval given"}]}
        """;

    [Fact]
    public void A_stored_payload_of_this_version_reads_back_completely()
    {
        var state = new StateJsonSerializer().Deserialize<ReleaseState>(BinaryData.FromString(StoredPayload));

        Assert.Equal("k3m9x2p7qa", state.Id);
        Assert.Equal(ReleaseStatus.Approved, state.Status);
        Assert.Equal(4, state.Version);
        Assert.Equal("quinn", state.QaApproval!.By);
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
}
