using OrleansReleases.Grains.Domain;
using static OrleansReleases.Tests.Domain.ReleaseTestKit;

namespace OrleansReleases.Tests.Domain;

/// <summary>Who may approve, when, and when approvals stop counting — through <see cref="Release"/> and directly.</summary>
public sealed class ApprovalRulesTests
{
    private readonly ManualClock _clock = new();

    // ---- Giving approvals ----

    [Fact]
    public void A_dev_lead_gives_the_dev_approval_and_the_release_stays_pending()
    {
        var release = CreatedRelease(_clock);
        _clock.Advance(TimeSpan.FromMinutes(5));

        var entry = AssertAccepted(release, () => release.Approve(DevLead("dana"), ApprovalKind.Dev));

        Assert.Equal(new Approval("dana", ManualClock.Start.AddMinutes(5).UtcDateTime, [new("auth-service", "a1"), new("user-service", "u1")]),
            release.State.Approvals.Get(ApprovalKind.Dev));
        Assert.Null(release.State.Approvals.Get(ApprovalKind.Qa));
        Assert.Equal(ReleaseStatus.Pending, release.State.Status);
        Assert.Equal(("approved-dev", "dana"), (entry.Action, entry.Actor));
    }

    [Fact]
    public void Both_approvals_make_the_release_approved()
    {
        var release = CreatedRelease(_clock);
        release.Approve(Qa("quinn"), ApprovalKind.Qa);

        var entry = AssertAccepted(release, () => release.Approve(DevLead("dana"), ApprovalKind.Dev));

        Assert.Equal(ReleaseStatus.Approved, release.State.Status);
        Assert.Equal("quinn", release.State.Approvals.Get(ApprovalKind.Qa)?.By);
        Assert.Equal("dana", release.State.Approvals.Get(ApprovalKind.Dev)?.By);
        Assert.Contains("approved", entry.Detail);
    }

    [Theory]
    [InlineData(ApprovalKind.Dev)]
    [InlineData(ApprovalKind.Qa)]
    public void An_approval_without_its_role_is_forbidden(ApprovalKind kind)
    {
        var release = CreatedRelease(_clock);
        var holdsTheOtherRole = kind == ApprovalKind.Dev ? Qa() : DevLead();

        AssertRefused(release, RuleViolation.Forbidden, () => release.Approve(holdsTheOtherRole, kind));
        AssertRefused(release, RuleViolation.Forbidden, () => release.Approve(Creator, kind));
    }

    [Fact]
    public void A_role_name_from_the_settings_is_the_one_that_counts()
    {
        var roles = new ApprovalRoles(DevLead: "leads", Qa: "testers");
        var release = new Release(new ReleaseState(), roles, _clock);
        release.Create("r-1", new NewRelease("uat", "master"), Creator, [Change("auth-service", "a1")], []);

        AssertRefused(release, RuleViolation.Forbidden, () => release.Approve(DevLead(), ApprovalKind.Dev));
        AssertAccepted(release, () => release.Approve(new Actor("dana", ["leads"]), ApprovalKind.Dev));
    }

    [Theory]
    [InlineData(ApprovalKind.Dev, ApprovalKind.Qa)]
    [InlineData(ApprovalKind.Qa, ApprovalKind.Dev)]
    public void One_person_cannot_hold_both_approvals(ApprovalKind first, ApprovalKind second)
    {
        var release = CreatedRelease(_clock);
        var both = new Actor("sam", [Roles.DevLead, Roles.Qa]);
        release.Approve(both, first);

        AssertRefused(release, RuleViolation.Conflict, () => release.Approve(both, second));
    }

    [Fact]
    public void The_same_approval_cannot_be_given_twice_even_by_someone_else()
    {
        var release = CreatedRelease(_clock);
        release.Approve(DevLead("dana"), ApprovalKind.Dev);

        AssertRefused(release, RuleViolation.Conflict, () => release.Approve(DevLead("dana"), ApprovalKind.Dev));
        AssertRefused(release, RuleViolation.Conflict, () => release.Approve(DevLead("devon"), ApprovalKind.Dev));
        Assert.Equal("dana", release.State.Approvals.Get(ApprovalKind.Dev)?.By);
    }

    [Fact]
    public void No_approval_while_the_deploy_order_has_a_cycle()
    {
        var release = CreatedRelease(_clock);
        release.UpdateRepo(Creator, "auth-service", null, ["user-service"], null);
        release.UpdateRepo(Creator, "user-service", null, ["auth-service"], null);

        var refused = AssertRefused(release, RuleViolation.Conflict, () => release.Approve(DevLead(), ApprovalKind.Dev));
        Assert.Contains("cycle", refused.Message);
    }

    [Fact]
    public void Approval_is_possible_again_once_the_cycle_is_broken()
    {
        var release = CreatedRelease(_clock);
        release.UpdateRepo(Creator, "auth-service", null, ["user-service"], null);
        release.UpdateRepo(Creator, "user-service", null, ["auth-service"], null);
        release.UpdateRepo(Creator, "auth-service", null, [], null);

        AssertAccepted(release, () => release.Approve(DevLead(), ApprovalKind.Dev));
    }

    [Fact]
    public void No_approval_when_every_repo_is_excluded()
    {
        var release = CreatedRelease(_clock);
        release.UpdateRepo(Creator, "auth-service", true, null, null);
        release.UpdateRepo(Creator, "user-service", true, null, null);

        AssertRefused(release, RuleViolation.Conflict, () => release.Approve(DevLead(), ApprovalKind.Dev));
    }

    // ---- Withdrawing approvals ----

    [Theory]
    [InlineData(ApprovalKind.Dev)]
    [InlineData(ApprovalKind.Qa)]
    public void Withdrawing_one_approval_makes_an_approved_release_pending_again(ApprovalKind kind)
    {
        var release = CreatedRelease(_clock);
        ApproveBoth(release);
        var withdrawer = kind == ApprovalKind.Dev ? DevLead() : Qa();

        var entry = AssertAccepted(release, () => release.Withdraw(withdrawer, kind));

        Assert.Equal(ReleaseStatus.Pending, release.State.Status);
        Assert.Null(release.State.Approvals.Get(kind));
        Assert.NotNull(release.State.Approvals.Get(kind == ApprovalKind.Dev ? ApprovalKind.Qa : ApprovalKind.Dev));
        Assert.Equal($"withdrawn-{kind.Slug()}", entry.Action);
    }

    [Fact]
    public void Withdrawing_an_approval_that_was_not_given_is_a_conflict()
    {
        var release = CreatedRelease(_clock);
        release.Approve(Qa(), ApprovalKind.Qa);

        AssertRefused(release, RuleViolation.Conflict, () => release.Withdraw(DevLead(), ApprovalKind.Dev));
    }

    [Fact]
    public void Withdrawing_an_approval_without_its_role_is_forbidden()
    {
        var release = CreatedRelease(_clock);
        ApproveBoth(release);

        AssertRefused(release, RuleViolation.Forbidden, () => release.Withdraw(Qa(), ApprovalKind.Dev));
    }

    [Fact]
    public void A_withdrawn_approval_can_be_given_again()
    {
        var release = CreatedRelease(_clock);
        ApproveBoth(release);
        release.Withdraw(DevLead(), ApprovalKind.Dev);

        AssertAccepted(release, () => release.Approve(DevLead("devon"), ApprovalKind.Dev));

        Assert.Equal(ReleaseStatus.Approved, release.State.Status);
    }

    // ---- Approvals cover the exact commits they saw ----

    [Fact]
    public void A_refresh_that_finds_a_new_head_in_an_included_repo_dismisses_both_approvals_and_says_which_repo()
    {
        var release = CreatedRelease(_clock);
        ApproveBoth(release);

        var entry = AssertAccepted(release, () => release.Refresh(Creator, [Change("auth-service", "a2"), Change("user-service", "u1")], []));

        AssertNoApprovals(release);
        Assert.Contains("approvals dismissed", entry.Detail);
        Assert.Contains("auth-service", entry.Detail);
        Assert.DoesNotContain("user-service", entry.Detail);
    }

    [Fact]
    public void A_refresh_that_dismisses_approvals_dismisses_a_lone_one_too()
    {
        var release = CreatedRelease(_clock);
        release.Approve(Qa(), ApprovalKind.Qa);

        release.Refresh(Creator, [Change("auth-service", "a1"), Change("user-service", "u2")], []);

        AssertNoApprovals(release);
    }

    [Fact]
    public void A_refresh_that_finds_a_new_repo_dismisses_both_approvals()
    {
        var release = CreatedRelease(_clock);
        ApproveBoth(release);

        var entry = AssertAccepted(release, () => release.Refresh(Creator,
            [Change("auth-service", "a1"), Change("config-svc", "c1"), Change("user-service", "u1")], []));

        AssertNoApprovals(release);
        Assert.Contains("config-svc", entry.Detail);
    }

    [Fact]
    public void A_refresh_in_which_a_repo_left_dismisses_both_approvals()
    {
        var release = CreatedRelease(_clock);
        ApproveBoth(release);

        var entry = AssertAccepted(release, () => release.Refresh(Creator, [Change("auth-service", "a1")], []));

        AssertNoApprovals(release);
        Assert.Contains("user-service", entry.Detail);
    }

    [Fact]
    public void A_refresh_with_the_same_heads_keeps_the_approvals()
    {
        var release = CreatedRelease(_clock);
        ApproveBoth(release);
        var dev = release.State.Approvals.Get(ApprovalKind.Dev);
        var qa = release.State.Approvals.Get(ApprovalKind.Qa);

        var entry = AssertAccepted(release, () => release.Refresh(Creator, [Change("auth-service", "a1"), Change("user-service", "u1")], []));

        Assert.Equal(ReleaseStatus.Approved, release.State.Status);
        Assert.Equal(dev, release.State.Approvals.Get(ApprovalKind.Dev));
        Assert.Equal(qa, release.State.Approvals.Get(ApprovalKind.Qa));
        Assert.DoesNotContain("dismissed", entry.Detail);
    }

    [Fact]
    public void A_refresh_that_finds_a_new_head_only_in_an_excluded_repo_keeps_the_approvals()
    {
        var release = CreatedRelease(_clock);
        release.UpdateRepo(Creator, "user-service", true, null, null);
        ApproveBoth(release);

        release.Refresh(Creator, [Change("auth-service", "a1"), Change("user-service", "u2")], []);

        Assert.Equal(ReleaseStatus.Approved, release.State.Status);
        Assert.NotNull(release.State.Approvals.Get(ApprovalKind.Dev));
        Assert.NotNull(release.State.Approvals.Get(ApprovalKind.Qa));
    }

    [Fact]
    public void Excluding_a_repo_after_approval_dismisses_both_approvals()
    {
        var release = CreatedRelease(_clock);
        ApproveBoth(release);

        var entry = AssertAccepted(release, () => release.UpdateRepo(Creator, "user-service", true, null, null));

        AssertNoApprovals(release);
        Assert.Contains("approvals dismissed", entry.Detail);
    }

    [Fact]
    public void Including_a_repo_again_after_approval_dismisses_both_approvals()
    {
        var release = CreatedRelease(_clock);
        release.UpdateRepo(Creator, "user-service", true, null, null);
        ApproveBoth(release);

        AssertAccepted(release, () => release.UpdateRepo(Creator, "user-service", false, null, null));

        AssertNoApprovals(release);
    }

    // ---- ApprovalRules.WhyApprovalsAreStale ----

    [Fact]
    public void Approvals_are_not_stale_when_the_included_heads_are_the_same_in_any_order()
    {
        var before = new[] { Repo("a-svc", "a1"), Repo("b-svc", "b1") };
        var after = new[] { Repo("b-svc", "b1"), Repo("a-svc", "a1") };

        Assert.Null(ApprovalRules.WhyApprovalsAreStale(before, after));
    }

    [Fact]
    public void Approvals_are_stale_when_an_included_repo_has_a_new_head()
    {
        var why = ApprovalRules.WhyApprovalsAreStale([Repo("a-svc", "a1"), Repo("b-svc", "b1")], [Repo("a-svc", "a1"), Repo("b-svc", "b2")]);

        Assert.Equal("new commits in b-svc (b1 → b2)", why);
    }

    [Fact]
    public void Approvals_are_stale_when_a_repo_is_newly_included()
    {
        Assert.Equal("now included: b-svc",
            ApprovalRules.WhyApprovalsAreStale([Repo("a-svc", "a1")], [Repo("a-svc", "a1"), Repo("b-svc", "b1")]));
        Assert.Equal("now included: b-svc",
            ApprovalRules.WhyApprovalsAreStale([Repo("a-svc", "a1"), Repo("b-svc", "b1", excluded: true)], [Repo("a-svc", "a1"), Repo("b-svc", "b1")]));
    }

    [Fact]
    public void Approvals_are_stale_when_a_repo_is_no_longer_included()
    {
        Assert.Equal("no longer included: b-svc",
            ApprovalRules.WhyApprovalsAreStale([Repo("a-svc", "a1"), Repo("b-svc", "b1")], [Repo("a-svc", "a1")]));
        Assert.Equal("no longer included: b-svc",
            ApprovalRules.WhyApprovalsAreStale([Repo("a-svc", "a1"), Repo("b-svc", "b1")], [Repo("a-svc", "a1"), Repo("b-svc", "b1", excluded: true)]));
    }

    [Fact]
    public void Approvals_are_not_stale_when_only_an_excluded_repo_moved_or_left()
    {
        var before = new[] { Repo("a-svc", "a1"), Repo("b-svc", "b1", excluded: true), Repo("c-svc", "c1", excluded: true) };
        var after = new[] { Repo("a-svc", "a1"), Repo("b-svc", "b2", excluded: true) };

        Assert.Null(ApprovalRules.WhyApprovalsAreStale(before, after));
    }

    [Fact]
    public void Every_reason_is_given_when_several_apply()
    {
        var why = ApprovalRules.WhyApprovalsAreStale(
            [Repo("a-svc", "a1"), Repo("b-svc", "b1"), Repo("c-svc", "c1")],
            [Repo("a-svc", "a2"), Repo("c-svc", "c1"), Repo("d-svc", "d1")]);

        Assert.Equal("now included: d-svc; no longer included: b-svc; new commits in a-svc (a1 → a2)", why);
    }

    [Fact]
    public void Both_approvals_make_approved_and_anything_less_pending()
    {
        var approval = new Approval("dana", ManualClock.Start.UtcDateTime, []);

        Assert.Equal(ReleaseStatus.Approved, ApprovalRules.StatusFor(With(dev: approval, qa: approval with { By = "quinn" })));
        Assert.Equal(ReleaseStatus.Pending, ApprovalRules.StatusFor(With(dev: approval, qa: null)));
        Assert.Equal(ReleaseStatus.Pending, ApprovalRules.StatusFor(With(dev: null, qa: approval)));
        Assert.Equal(ReleaseStatus.Pending, ApprovalRules.StatusFor(With(dev: null, qa: null)));
    }

    private static Approvals With(Approval? dev, Approval? qa)
    {
        var approvals = new Approvals();
        if (dev is not null)
        {
            approvals.Give(ApprovalKind.Dev, dev);
        }

        if (qa is not null)
        {
            approvals.Give(ApprovalKind.Qa, qa);
        }

        return approvals;
    }

    private static ReleaseRepo Repo(string name, string headSha, bool excluded = false) =>
        new() { Name = name, HeadSha = headSha, Excluded = excluded };

    private static void AssertNoApprovals(Release release)
    {
        Assert.Null(release.State.Approvals.Get(ApprovalKind.Dev));
        Assert.Null(release.State.Approvals.Get(ApprovalKind.Qa));
        Assert.Equal(ReleaseStatus.Pending, release.State.Status);
    }
}
