using OrleansReleases.Grains.Domain;
using static OrleansReleases.Tests.Domain.ReleaseTestKit;

namespace OrleansReleases.Tests.Domain;

/// <summary>
/// The gate binds (issue 13): approvals cover commits, deploy verifies against a fresh comparison,
/// comparisons never go backwards, a repo that cannot be compared stays (stale) and blocks, and
/// history says what changed.
/// </summary>
public sealed class GateTests
{
    private readonly ManualClock _clock = new();

    private static ComparedRepos Compared(IReadOnlyList<RepoChange> changed, params string[] failed) =>
        new(changed, [.. failed.Select(name => $"{name}: could not read")], failed);

    // ---- Approvals cover commits ----

    [Fact]
    public void An_approval_covers_every_included_repo_and_its_head_commit()
    {
        var release = CreatedRelease(_clock, Change("auth-service", "a1"), Change("config-svc", "c1"), Change("user-service", "u1"));
        release.UpdateRepo(Creator, "config-svc", true, null, null);

        var entry = AssertAccepted(release, () => release.Approve(DevLead(), ApprovalKind.Dev));

        Assert.Equal([new CoveredCommit("auth-service", "a1"), new CoveredCommit("user-service", "u1")],
            release.State.Approvals.Get(ApprovalKind.Dev)!.Covers);
        Assert.Contains("covering 2 commits", entry.Detail);
    }

    [Fact]
    public void Approving_with_the_version_the_approver_saw_is_accepted_and_an_older_one_is_a_version_mismatch()
    {
        var release = CreatedRelease(_clock);
        var seen = release.State.Version;
        release.EditText(Creator, "changed meanwhile", null, null);

        AssertRefused(release, RuleViolation.VersionMismatch, () => release.Approve(DevLead(), ApprovalKind.Dev, seen));
        AssertAccepted(release, () => release.Approve(DevLead(), ApprovalKind.Dev, release.State.Version));
    }

    [Fact]
    public void Approvals_are_dismissed_against_what_they_cover_and_the_history_names_each_moved_head()
    {
        var release = CreatedRelease(_clock);
        ApproveBoth(release);

        var entry = AssertAccepted(release, () => release.Refresh(Creator, [Change("auth-service", "a2"), Change("user-service", "u1")], []));

        Assert.Equal(ReleaseStatus.Pending, release.State.Status);
        Assert.True(release.State.Approvals.IsEmpty);
        Assert.Contains("new commits in auth-service (a1 → a2)", entry.Detail);
        Assert.Equal([new FieldChange("auth-service head", "a1", "a2")], entry.Changes);
    }

    [Fact]
    public void An_approval_stored_without_covers_is_judged_against_the_repos_before_the_change()
    {
        var release = CreatedRelease(_clock);
        release.State.Approvals.Give(ApprovalKind.Dev, new Approval("dana", _clock.GetUtcNow().UtcDateTime, null!));

        release.Refresh(Creator, [Change("auth-service", "a1"), Change("user-service", "u1")], []);
        Assert.NotNull(release.State.Approvals.Get(ApprovalKind.Dev));

        release.Refresh(Creator, [Change("auth-service", "a2"), Change("user-service", "u1")], []);
        Assert.Null(release.State.Approvals.Get(ApprovalKind.Dev));
    }

    // ---- Deploy verifies ----

    [Fact]
    public void Deploy_with_the_commits_the_approvals_cover_deploys()
    {
        var release = CreatedRelease(_clock);
        ApproveBoth(release);

        string? refused = "not run";
        AssertAccepted(release, () => refused = release.Deploy(Creator, Compared([Change("auth-service", "a1", commits: 4), Change("user-service", "u1")])));

        Assert.Null(refused);
        Assert.Equal(ReleaseStatus.Deployed, release.State.Status);
        Assert.Equal(4, release.State.FindRepo("auth-service")!.CommitCount); // what the source showed is what was deployed
    }

    [Fact]
    public void Deploy_after_a_new_commit_is_refused_stores_the_comparison_and_dismisses_the_approvals()
    {
        var release = CreatedRelease(_clock);
        ApproveBoth(release);

        string? refused = null;
        var entry = AssertAccepted(release, () => refused = release.Deploy(Creator, Compared([Change("auth-service", "a2"), Change("user-service", "u1")])));

        Assert.NotNull(refused);
        Assert.Contains("auth-service (a1 → a2)", refused);
        Assert.Equal(ReleaseStatus.Pending, release.State.Status);
        Assert.True(release.State.Approvals.IsEmpty);
        Assert.Equal("a2", release.State.FindRepo("auth-service")!.HeadSha);
        Assert.Equal("refreshed", entry.Action);
        Assert.Equal([new FieldChange("auth-service head", "a1", "a2")], entry.Changes);
        Assert.Contains(release.State.UnpublishedNotices, n => n.Kind == NoticeKind.ApprovalsDismissed);
    }

    [Fact]
    public void Deploy_when_the_set_of_repos_changed_is_refused()
    {
        var release = CreatedRelease(_clock);
        ApproveBoth(release);

        var refused = release.Deploy(Creator, Compared([Change("auth-service", "a1"), Change("new-svc", "n1"), Change("user-service", "u1")]));

        Assert.Contains("now included: new-svc", refused);
        Assert.Equal(ReleaseStatus.Pending, release.State.Status);
        Assert.Equal([new FieldChange("new-svc head", null, "n1")], release.State.UnpublishedHistory[^1].Changes);
    }

    [Fact]
    public void Deploy_of_a_pending_release_is_refused_before_anything_is_taken_in()
    {
        var release = CreatedRelease(_clock);

        AssertRefused(release, RuleViolation.Conflict, () => release.Deploy(Creator, Compared([Change("auth-service", "a2")])));
    }

    [Fact]
    public void Deploy_with_a_comparison_older_than_the_last_applied_changes_nothing()
    {
        var release = CreatedRelease(_clock);
        ApproveBoth(release);
        var deployTicket = release.BeginComparison();
        var refreshTicket = release.BeginComparison();
        release.Refresh(Creator, SameAsNow(release), refreshTicket);

        var refused = AssertRefused(release, RuleViolation.Conflict, () => release.Deploy(Creator, SameAsNow(release), deployTicket));
        Assert.Contains("compared again", refused.Message);
    }

    // ---- Comparisons never go backwards ----

    [Fact]
    public void Tickets_grow_strictly()
    {
        var release = CreatedRelease(_clock);

        var first = release.BeginComparison();
        var second = release.BeginComparison();

        Assert.True(second > first);
        Assert.Equal(1, release.State.Version); // handing out tickets is not a change
        Assert.Empty(release.State.UnpublishedHistory.Skip(1));
    }

    [Fact]
    public void A_comparison_that_began_before_the_last_applied_one_is_ignored()
    {
        var release = CreatedRelease(_clock);
        var older = release.BeginComparison();
        var newer = release.BeginComparison();

        Assert.True(release.Refresh(Creator, Compared([Change("auth-service", "a3"), Change("user-service", "u1")]), newer));
        var version = release.State.Version;

        Assert.False(release.Refresh(Creator, Compared([Change("auth-service", "a2"), Change("user-service", "u1")]), older));
        Assert.Equal(version, release.State.Version);
        Assert.Equal("a3", release.State.FindRepo("auth-service")!.HeadSha);
        Assert.Equal(newer, release.State.LastAppliedComparison);
    }

    [Fact]
    public void A_comparison_applied_once_is_not_applied_again_and_comparisons_in_order_all_apply()
    {
        var release = CreatedRelease(_clock);
        var first = release.BeginComparison();
        var second = release.BeginComparison();

        Assert.True(release.Refresh(Creator, Compared([Change("auth-service", "a2"), Change("user-service", "u1")]), first));
        Assert.False(release.Refresh(Creator, Compared([Change("auth-service", "a2"), Change("user-service", "u1")]), first));
        Assert.True(release.Refresh(Creator, Compared([Change("auth-service", "a3"), Change("user-service", "u1")]), second));
        Assert.Equal("a3", release.State.FindRepo("auth-service")!.HeadSha);
    }

    [Fact]
    public void A_ticket_never_handed_out_is_invalid()
    {
        var release = CreatedRelease(_clock);

        AssertRefused(release, RuleViolation.InvalidInput, () => release.Refresh(Creator, SameAsNow(release), 7));
    }

    // ---- A repo that cannot be compared stays ----

    [Fact]
    public void A_repo_that_cannot_be_compared_keeps_its_data_and_settings_marked_stale()
    {
        var release = CreatedRelease(_clock, Change("auth-service", "a1", commits: 3), Change("user-service", "u1"));
        release.UpdateRepo(Creator, "user-service", null, ["auth-service"], null);

        var entry = AssertAccepted(release, () => release.Refresh(Creator, Compared([Change("user-service", "u2")], "auth-service"), null));

        var auth = release.State.FindRepo("auth-service")!;
        Assert.True(auth.Stale);
        Assert.Equal(("a1", 3), (auth.HeadSha, auth.CommitCount));
        Assert.Equal(["auth-service"], release.State.FindRepo("user-service")!.DependsOn);
        Assert.False(release.State.FindRepo("user-service")!.Stale);
        Assert.Equal(["auth-service: could not read"], release.State.Warnings);
        Assert.Contains("stale", entry.Detail);
    }

    [Fact]
    public void A_repo_that_newly_fails_but_was_never_in_the_release_is_just_a_warning()
    {
        var release = CreatedRelease(_clock);

        release.Refresh(Creator, Compared([Change("auth-service", "a1"), Change("user-service", "u1")], "billing"), null);

        Assert.Equal(["auth-service", "user-service"], release.State.Repos.Select(r => r.Name));
        Assert.Equal(["billing: could not read"], release.State.Warnings);
    }

    [Fact]
    public void A_stale_included_repo_blocks_approving_and_excluding_it_lifts_that()
    {
        var release = CreatedRelease(_clock);
        release.Refresh(Creator, Compared([Change("user-service", "u1")], "auth-service"), null);

        var refused = AssertRefused(release, RuleViolation.Conflict, () => release.Approve(DevLead(), ApprovalKind.Dev));
        Assert.Contains("auth-service", refused.Message);

        release.UpdateRepo(Creator, "auth-service", true, null, null);
        AssertAccepted(release, () => release.Approve(DevLead(), ApprovalKind.Dev));
    }

    [Fact]
    public void A_refresh_that_compares_the_stale_repo_again_lifts_it()
    {
        var release = CreatedRelease(_clock);
        release.Refresh(Creator, Compared([Change("user-service", "u1")], "auth-service"), null);

        release.Refresh(Creator, Compared([Change("auth-service", "a1"), Change("user-service", "u1")]), null);

        Assert.False(release.State.FindRepo("auth-service")!.Stale);
        AssertAccepted(release, () => release.Approve(DevLead(), ApprovalKind.Dev));
    }

    [Fact]
    public void A_repo_that_becomes_stale_keeps_the_approvals_but_deploy_is_refused_naming_it()
    {
        var release = CreatedRelease(_clock);
        ApproveBoth(release);

        var refused = release.Deploy(Creator, Compared([Change("user-service", "u1")], "auth-service"));

        Assert.NotNull(refused);
        Assert.Contains("auth-service", refused);
        Assert.Contains("stale", refused);
        Assert.True(release.State.FindRepo("auth-service")!.Stale);
        Assert.Equal(ReleaseStatus.Approved, release.State.Status); // the approvals still cover what they saw

        // Once it compares again with the same head, the deploy goes through.
        Assert.Null(release.Deploy(Creator, Compared([Change("auth-service", "a1"), Change("user-service", "u1")])));
        Assert.Equal(ReleaseStatus.Deployed, release.State.Status);
    }

    [Fact]
    public void An_excluded_stale_repo_blocks_nothing()
    {
        var release = CreatedRelease(_clock);
        release.UpdateRepo(Creator, "auth-service", true, null, null);
        ApproveBoth(release);

        Assert.Null(release.Deploy(Creator, Compared([Change("user-service", "u1")], "auth-service")));
    }

    // ---- History says what changed ----

    [Fact]
    public void A_text_edit_records_the_old_and_new_text()
    {
        var release = CreatedRelease(_clock);
        release.EditText(Creator, "first", null, null);

        var entry = AssertAccepted(release, () => release.EditText(Creator, "second", "API v1 removed", null));

        Assert.Equal([new FieldChange("notes", "first", "second"), new FieldChange("breakingChanges", "", "API v1 removed")], entry.Changes);
    }

    [Fact]
    public void A_repo_update_records_the_old_and_new_values()
    {
        var release = CreatedRelease(_clock, Change("api", "p1"), Change("auth", "a1"), Change("db", "d1"));
        release.UpdateRepo(Creator, "api", null, ["auth"], null);

        var entry = AssertAccepted(release, () => release.UpdateRepo(Creator, "api", true, ["auth", "db"], null));

        Assert.Equal([new FieldChange("excluded", "false", "true"), new FieldChange("dependsOn", "auth", "auth, db")], entry.Changes);
    }

    [Fact]
    public void Changes_without_fields_have_none()
    {
        var release = CreatedRelease(_clock);

        var entry = AssertAccepted(release, () => release.Approve(DevLead(), ApprovalKind.Dev));

        Assert.Empty(entry.Changes);
    }
}
