using OrleansReleases.Grains.Domain;

namespace OrleansReleases.Tests.Domain;

/// <summary>Shared by the release tests: people, repos, a created release, and the accepted/refused checks.</summary>
internal static class ReleaseTestKit
{
    public static readonly ApprovalRoles Roles = new();

    public static Actor Creator { get; } = new("carol", []);

    public static Actor DevLead(string name = "dana") => new(name, [Roles.DevLead]);

    public static Actor Qa(string name = "quinn") => new(name, [Roles.Qa]);

    public static RepoChange Change(string name, string headSha, int commits = 1, string[]? contributors = null) =>
        new(name, commits, contributors ?? ["Alice"], headSha);

    /// <summary>A created release (version 1); by default with auth-service (head a1) and user-service (head u1).</summary>
    public static Release CreatedRelease(TimeProvider clock, params RepoChange[] repos)
    {
        var release = new Release(new ReleaseState(), Roles, clock);
        release.Create("r-1", new NewRelease("uat", "master"), Creator,
            repos.Length > 0 ? repos : [Change("auth-service", "a1"), Change("user-service", "u1")], []);
        return release;
    }

    /// <summary>The comparison a source gives when nothing moved: every repo of the release as it is.</summary>
    public static ComparedRepos SameAsNow(Release release) =>
        new([.. release.State.Repos.Select(r => new RepoChange(r.Name, r.CommitCount, r.Contributors, r.HeadSha, r.PrNumber, r.PrUrl, r.Source))], [], []);

    public static void ApproveBoth(Release release)
    {
        release.Approve(DevLead(), ApprovalKind.Dev);
        release.Approve(Qa(), ApprovalKind.Qa);
    }

    /// <summary>Runs an accepted change: exactly one more version and one history entry with that version, which it returns.</summary>
    public static HistoryEntry AssertAccepted(Release release, Action change)
    {
        var version = release.State.Version;
        var history = release.State.UnpublishedHistory.Count;

        change();

        Assert.Equal(version + 1, release.State.Version);
        Assert.Equal(history + 1, release.State.UnpublishedHistory.Count);
        var entry = release.State.UnpublishedHistory[^1];
        Assert.Equal(release.State.Version, entry.Version);
        return entry;
    }

    /// <summary>Runs a refused change: the expected violation, and the release exactly as it was.</summary>
    public static ReleaseRuleException AssertRefused(Release release, RuleViolation violation, Action change)
    {
        var before = Snapshot.Of(release.State);

        var refused = Assert.Throws<ReleaseRuleException>(change);

        Assert.Equal(violation, refused.Violation);
        Assert.Equal(before, Snapshot.Of(release.State));
        return refused;
    }

    private sealed record Snapshot(
        long Version, ReleaseStatus Status, Approval? Dev, Approval? Qa, string History, string Repos, string Notes, string BreakingChanges)
    {
        public static Snapshot Of(ReleaseState s) => new(
            s.Version, s.Status, s.Approvals.Get(ApprovalKind.Dev), s.Approvals.Get(ApprovalKind.Qa),
            string.Join("\n", s.UnpublishedHistory),
            string.Join("\n", s.Repos.Select(r => $"{r.Name} {r.HeadSha} excluded={r.Excluded} dependsOn={string.Join(",", r.DependsOn)}")),
            s.Notes, s.BreakingChanges);
    }
}
