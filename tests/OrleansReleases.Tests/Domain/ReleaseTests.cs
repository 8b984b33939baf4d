using OrleansReleases.Grains.Domain;
using static OrleansReleases.Tests.Domain.ReleaseTestKit;

namespace OrleansReleases.Tests.Domain;

/// <summary>
/// The release workflow outside approvals (those are in <see cref="ApprovalRulesTests"/>): creating,
/// editing text, the team's choices per repo, refreshing, deploying, and the frozen deployed release.
/// </summary>
public sealed class ReleaseTests
{
    private readonly ManualClock _clock = new();

    // ---- Create ----

    [Fact]
    public void Create_makes_a_pending_release_at_version_1_with_one_history_entry()
    {
        var release = new Release(new ReleaseState(), Roles, _clock);

        var entry = AssertAccepted(release, () => release.Create("r-1", new NewRelease("uat", "master", "first"), Creator,
            [Change("user-service", "u1", commits: 2), Change("auth-service", "a1", commits: 3)], ["billing: timed out"]));

        var state = release.State;
        Assert.Equal(1, state.Version);
        Assert.True(state.Exists);
        Assert.Equal(ReleaseStatus.Pending, state.Status);
        Assert.Equal(("r-1", "uat", "master", "first"), (state.Id, state.SourceBranch, state.DestBranch, state.Notes));
        Assert.Equal(Creator.Name, state.CreatedBy);
        Assert.Equal(ManualClock.Start.UtcDateTime, state.CreatedAt);
        Assert.Equal(["auth-service", "user-service"], state.Repos.Select(r => r.Name));
        Assert.Equal(["billing: timed out"], state.Warnings);
        Assert.Null(state.Approvals.Get(ApprovalKind.Dev));
        Assert.Null(state.Approvals.Get(ApprovalKind.Qa));
        Assert.Equal(("created", Creator.Name, ManualClock.Start.UtcDateTime), (entry.Action, entry.Actor, entry.At));
        Assert.Contains("5 commits", entry.Detail);
    }

    [Fact]
    public void Create_on_an_existing_release_is_a_conflict()
    {
        var release = CreatedRelease(_clock);

        AssertRefused(release, RuleViolation.Conflict,
            () => release.Create("r-2", new NewRelease("dev", "uat"), Creator, [Change("other", "o1")], []));
        Assert.Equal("r-1", release.State.Id);
    }

    [Fact]
    public void Create_with_notes_over_the_maximum_length_is_invalid_and_creates_nothing()
    {
        var release = new Release(new ReleaseState(), Roles, _clock);
        var notes = new string('n', Release.MaxTextLength + 1);

        AssertRefused(release, RuleViolation.InvalidInput,
            () => release.Create("r-1", new NewRelease("uat", "master", notes), Creator, [Change("auth-service", "a1")], []));
        Assert.False(release.State.Exists);
    }

    [Fact]
    public void Changing_a_release_that_does_not_exist_is_not_found()
    {
        var release = new Release(new ReleaseState(), Roles, _clock);

        AssertRefused(release, RuleViolation.NotFound, () => release.EditText(Creator, "notes", null, null));
        AssertRefused(release, RuleViolation.NotFound, () => release.Refresh(Creator, [Change("auth-service", "a1")], []));
    }

    [Fact]
    public void Times_are_kept_to_the_millisecond_in_utc()
    {
        var clock = new ManualClock(ManualClock.Start.AddTicks(1_234_567));
        var release = CreatedRelease(clock);

        Assert.Equal(ManualClock.Start.UtcDateTime.AddMilliseconds(123), release.State.CreatedAt);
        Assert.Equal(DateTimeKind.Utc, release.State.CreatedAt.Kind);
    }

    // ---- EditText ----

    [Fact]
    public void EditText_with_notes_only_changes_the_notes()
    {
        var release = CreatedRelease(_clock);
        release.EditText(Creator, null, "old breaking", null);

        var entry = AssertAccepted(release, () => release.EditText(Creator, "new notes", null, null));

        Assert.Equal("new notes", release.State.Notes);
        Assert.Equal("old breaking", release.State.BreakingChanges);
        Assert.Equal("text-edited", entry.Action);
    }

    [Fact]
    public void EditText_with_both_fields_changes_both()
    {
        var release = CreatedRelease(_clock);

        AssertAccepted(release, () => release.EditText(Creator, "notes", "breaking", null));

        Assert.Equal(("notes", "breaking"), (release.State.Notes, release.State.BreakingChanges));
    }

    [Fact]
    public void EditText_with_the_current_version_is_accepted()
    {
        var release = CreatedRelease(_clock);

        AssertAccepted(release, () => release.EditText(Creator, "notes", null, expectedVersion: release.State.Version));
    }

    [Fact]
    public void EditText_with_an_older_version_is_a_version_mismatch()
    {
        var release = CreatedRelease(_clock);
        var seen = release.State.Version;
        release.EditText(Creator, "someone else's notes", null, null);

        AssertRefused(release, RuleViolation.VersionMismatch, () => release.EditText(Creator, "mine", null, expectedVersion: seen));
        Assert.Equal("someone else's notes", release.State.Notes);
    }

    [Fact]
    public void EditText_with_neither_field_is_invalid()
    {
        var release = CreatedRelease(_clock);

        AssertRefused(release, RuleViolation.InvalidInput, () => release.EditText(Creator, null, null, null));
    }

    [Fact]
    public void EditText_of_exactly_the_maximum_length_is_accepted()
    {
        var release = CreatedRelease(_clock);

        AssertAccepted(release, () => release.EditText(Creator, new string('n', Release.MaxTextLength), null, null));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EditText_over_the_maximum_length_is_invalid(bool inNotes)
    {
        var release = CreatedRelease(_clock);
        var tooLong = new string('x', Release.MaxTextLength + 1);

        AssertRefused(release, RuleViolation.InvalidInput,
            () => release.EditText(Creator, inNotes ? tooLong : "fine", inNotes ? "fine" : tooLong, null));
    }

    // ---- UpdateRepo ----

    [Fact]
    public void UpdateRepo_excludes_and_includes_again()
    {
        var release = CreatedRelease(_clock);

        var excluded = AssertAccepted(release, () => release.UpdateRepo(Creator, "auth-service", true, null, null));
        Assert.True(release.State.FindRepo("auth-service")!.Excluded);
        Assert.Equal("repo-updated", excluded.Action);
        Assert.Contains("auth-service", excluded.Detail);

        AssertAccepted(release, () => release.UpdateRepo(Creator, "auth-service", false, null, null));
        Assert.False(release.State.FindRepo("auth-service")!.Excluded);
    }

    [Fact]
    public void UpdateRepo_keeps_dependencies_sorted_and_without_duplicates_and_they_shape_the_deploy_order()
    {
        var release = CreatedRelease(_clock, Change("api-gateway", "g1"), Change("auth-service", "a1"), Change("user-service", "u1"));

        AssertAccepted(release, () =>
            release.UpdateRepo(Creator, "api-gateway", null, ["user-service", "auth-service", "user-service"], null));

        Assert.Equal(["auth-service", "user-service"], release.State.FindRepo("api-gateway")!.DependsOn);
        Assert.Equal(2, release.DeployOrder.Layers.Count);
        Assert.Equal(["api-gateway"], release.DeployOrder.Layers[1]);
    }

    [Fact]
    public void UpdateRepo_with_an_empty_dependency_list_clears_the_dependencies()
    {
        var release = CreatedRelease(_clock);
        release.UpdateRepo(Creator, "user-service", null, ["auth-service"], null);

        AssertAccepted(release, () => release.UpdateRepo(Creator, "user-service", null, [], null));

        Assert.Empty(release.State.FindRepo("user-service")!.DependsOn);
    }

    [Fact]
    public void UpdateRepo_making_a_repo_depend_on_itself_is_invalid()
    {
        var release = CreatedRelease(_clock);

        AssertRefused(release, RuleViolation.InvalidInput,
            () => release.UpdateRepo(Creator, "user-service", null, ["auth-service", "user-service"], null));
    }

    [Fact]
    public void UpdateRepo_depending_on_a_repo_not_in_the_release_is_invalid()
    {
        var release = CreatedRelease(_clock);

        var refused = AssertRefused(release, RuleViolation.InvalidInput,
            () => release.UpdateRepo(Creator, "user-service", null, ["auth-service", "no-such-repo"], null));
        Assert.Contains("no-such-repo", refused.Message);
    }

    [Fact]
    public void UpdateRepo_of_a_repo_not_in_the_release_is_not_found()
    {
        var release = CreatedRelease(_clock);

        AssertRefused(release, RuleViolation.NotFound, () => release.UpdateRepo(Creator, "no-such-repo", true, null, null));
    }

    [Fact]
    public void UpdateRepo_with_neither_field_is_invalid()
    {
        var release = CreatedRelease(_clock);

        AssertRefused(release, RuleViolation.InvalidInput, () => release.UpdateRepo(Creator, "auth-service", null, null, null));
    }

    [Fact]
    public void UpdateRepo_with_an_older_version_is_a_version_mismatch()
    {
        var release = CreatedRelease(_clock);
        var seen = release.State.Version;
        release.EditText(Creator, "meanwhile", null, null);

        AssertRefused(release, RuleViolation.VersionMismatch, () => release.UpdateRepo(Creator, "auth-service", true, null, seen));
    }

    // ---- Refresh ----

    [Fact]
    public void Refresh_takes_in_the_new_comparison()
    {
        var release = CreatedRelease(_clock);
        _clock.Advance(TimeSpan.FromHours(1));

        var entry = AssertAccepted(release, () => release.Refresh(Creator,
            [Change("auth-service", "a2", commits: 4, contributors: ["Bob"]), Change("config-svc", "c1")], ["slow-repo: timed out"]));

        var state = release.State;
        Assert.Equal(["auth-service", "config-svc"], state.Repos.Select(r => r.Name));
        var auth = state.FindRepo("auth-service")!;
        Assert.Equal((4, "a2"), (auth.CommitCount, auth.HeadSha));
        Assert.Equal(["Bob"], auth.Contributors);
        Assert.Equal(["slow-repo: timed out"], state.Warnings);
        Assert.Equal(ManualClock.Start.AddHours(1).UtcDateTime, state.LastRefreshedAt);
        Assert.Equal(ManualClock.Start.UtcDateTime, state.CreatedAt);
        Assert.Equal("refreshed", entry.Action);
    }

    [Fact]
    public void Refresh_keeps_the_teams_excluded_and_dependsOn_choices()
    {
        var release = CreatedRelease(_clock, Change("api-gateway", "g1"), Change("auth-service", "a1"), Change("user-service", "u1"));
        release.UpdateRepo(Creator, "user-service", true, null, null);
        release.UpdateRepo(Creator, "api-gateway", null, ["auth-service"], null);

        AssertAccepted(release, () => release.Refresh(Creator,
            [Change("api-gateway", "g2"), Change("auth-service", "a2"), Change("user-service", "u2")], []));

        Assert.True(release.State.FindRepo("user-service")!.Excluded);
        Assert.Equal(["auth-service"], release.State.FindRepo("api-gateway")!.DependsOn);
        Assert.False(release.State.FindRepo("auth-service")!.Excluded);
    }

    [Fact]
    public void Refresh_drops_dependencies_on_repos_that_left_the_release()
    {
        var release = CreatedRelease(_clock, Change("api-gateway", "g1"), Change("auth-service", "a1"), Change("user-service", "u1"));
        release.UpdateRepo(Creator, "api-gateway", null, ["auth-service", "user-service"], null);

        AssertAccepted(release, () => release.Refresh(Creator, [Change("api-gateway", "g1"), Change("user-service", "u1")], []));

        Assert.Null(release.State.FindRepo("auth-service"));
        Assert.Equal(["user-service"], release.State.FindRepo("api-gateway")!.DependsOn);
    }

    [Fact]
    public void Refresh_gives_a_new_repo_no_choices()
    {
        var release = CreatedRelease(_clock);

        release.Refresh(Creator, [Change("auth-service", "a1"), Change("config-svc", "c1"), Change("user-service", "u1")], []);

        var added = release.State.FindRepo("config-svc")!;
        Assert.False(added.Excluded);
        Assert.Empty(added.DependsOn);
    }

    // ---- Deploy ----

    [Fact]
    public void Deploy_of_a_pending_release_is_a_conflict()
    {
        var release = CreatedRelease(_clock);

        AssertRefused(release, RuleViolation.Conflict, () => release.Deploy(Creator, SameAsNow(release)));
    }

    [Fact]
    public void Deploy_with_only_one_approval_is_a_conflict()
    {
        var release = CreatedRelease(_clock);
        release.Approve(DevLead(), ApprovalKind.Dev);

        AssertRefused(release, RuleViolation.Conflict, () => release.Deploy(Creator, SameAsNow(release)));
    }

    [Fact]
    public void Deploy_of_an_approved_release_makes_it_deployed_and_records_the_order()
    {
        var release = CreatedRelease(_clock);
        release.UpdateRepo(Creator, "user-service", null, ["auth-service"], null);
        ApproveBoth(release);

        var entry = AssertAccepted(release, () => release.Deploy(Creator, SameAsNow(release)));

        Assert.Equal(ReleaseStatus.Deployed, release.State.Status);
        Assert.Equal("deployed", entry.Action);
        Assert.Contains("1) auth-service → 2) user-service", entry.Detail);
    }

    [Fact]
    public void Deploy_is_refused_when_a_dependency_added_after_the_approvals_made_a_cycle()
    {
        var release = CreatedRelease(_clock);
        ApproveBoth(release);
        release.UpdateRepo(Creator, "user-service", null, ["auth-service"], null);
        release.UpdateRepo(Creator, "auth-service", null, ["user-service"], null);

        var error = AssertRefused(release, RuleViolation.Conflict, () => release.Deploy(Creator, SameAsNow(release)));

        Assert.Contains("cycle", error.Message);
    }

    [Fact]
    public void UpdateRepo_that_changes_nothing_adds_no_version_and_no_history()
    {
        var release = CreatedRelease(_clock);
        var version = release.State.Version;

        release.UpdateRepo(Creator, "auth-service", excluded: false, dependsOn: [], expectedVersion: null);

        Assert.Equal(version, release.State.Version);
        Assert.Single(release.State.UnpublishedHistory);
    }

    public static TheoryData<string> EveryChange =>
        ["create", "edit text", "update repo", "refresh", "approve dev", "approve qa", "withdraw dev", "withdraw qa", "deploy"];

    [Theory]
    [MemberData(nameof(EveryChange))]
    public void A_deployed_release_refuses_every_change(string change)
    {
        var release = CreatedRelease(_clock);
        ApproveBoth(release);
        release.Deploy(Creator, SameAsNow(release));
        var version = release.State.Version;

        Action attempt = change switch
        {
            "create" => () => release.Create("r-1", new NewRelease("uat", "master"), Creator, [Change("auth-service", "a9")], []),
            "edit text" => () => release.EditText(Creator, "late notes", null, null),
            "update repo" => () => release.UpdateRepo(Creator, "auth-service", true, null, null),
            "refresh" => () => release.Refresh(Creator, [Change("auth-service", "a9")], []),
            "approve dev" => () => release.Approve(DevLead("someone-else"), ApprovalKind.Dev),
            "approve qa" => () => release.Approve(Qa("someone-else"), ApprovalKind.Qa),
            "withdraw dev" => () => release.Withdraw(DevLead(), ApprovalKind.Dev),
            "withdraw qa" => () => release.Withdraw(Qa(), ApprovalKind.Qa),
            "deploy" => () => release.Deploy(Creator, SameAsNow(release)),
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };

        AssertRefused(release, RuleViolation.Conflict, attempt);
        Assert.Equal(version, release.State.Version);
        Assert.Equal(ReleaseStatus.Deployed, release.State.Status);
    }

    [Fact]
    public void A_deployed_release_refuses_edits_even_with_a_stale_version_as_a_conflict()
    {
        var release = CreatedRelease(_clock);
        ApproveBoth(release);
        release.Deploy(Creator, SameAsNow(release));

        AssertRefused(release, RuleViolation.Conflict, () => release.EditText(Creator, "late", null, expectedVersion: 1));
    }

    // ---- Versions and history across a whole workflow ----

    [Fact]
    public void Each_accepted_change_of_a_workflow_adds_one_version_and_one_history_entry()
    {
        var release = new Release(new ReleaseState(), Roles, _clock);

        release.Create("r-1", new NewRelease("uat", "master"), Creator, [Change("auth-service", "a1")], []);
        release.EditText(Creator, "notes", null, null);
        release.Approve(DevLead(), ApprovalKind.Dev);
        release.Approve(Qa(), ApprovalKind.Qa);
        release.Deploy(Creator, SameAsNow(release));

        Assert.Equal(5, release.State.Version);
        Assert.Equal([1L, 2, 3, 4, 5], release.State.UnpublishedHistory.Select(h => h.Version));
        Assert.Equal(["created", "text-edited", "approved-dev", "approved-qa", "deployed"],
            release.State.UnpublishedHistory.Select(h => h.Action));
    }
}
