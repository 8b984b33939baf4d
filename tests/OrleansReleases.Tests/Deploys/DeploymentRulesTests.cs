using OrleansReleases.Grains.Domain;
using OrleansReleases.Tests.Support;
using static OrleansReleases.Tests.Domain.ReleaseTestKit;

namespace OrleansReleases.Tests.Deploys;

/// <summary>
/// The deploy rules on a three-layer release: db-service, then api-service (depends on db), then
/// web-app (depends on api). Reports follow the layers, name the approved commit, and a failure may
/// be retried.
/// </summary>
public sealed class DeploymentRulesTests
{
    private static readonly string Db = new('d', 40);
    private static readonly string Api = new('a', 40);
    private static readonly string Web = new('b', 40);
    private static readonly Actor Pipeline = new("ci", ["release-deployer"], "ci-id");

    private readonly ManualClock _clock = new();

    private Release ApprovedThreeLayers()
    {
        var release = CreatedRelease(_clock, Change("api-service", Api), Change("db-service", Db), Change("web-app", Web));
        release.UpdateRepo(Creator, "api-service", null, ["db-service"], null);
        release.UpdateRepo(Creator, "web-app", null, ["api-service"], null);
        ApproveBoth(release);
        Assert.Equal(ReleaseStatus.Approved, release.State.Status);
        return release;
    }

    private static void Report(Release release, string repo, string sha, DeploymentState state, FreezeCheck? freeze = null) =>
        release.ReportDeployment(Pipeline, new DeploymentReport(repo, sha, state, "https://ci.example.com/run/1"), freeze);

    private static ReleaseRuleException Refused(Release release, string repo, string sha, DeploymentState state, FreezeCheck? freeze = null)
    {
        var deployment = release.State.FindRepo(repo)?.Deployment;
        var refused = AssertRefused(release, RuleViolation.Conflict, () => Report(release, repo, sha, state, freeze));
        Assert.Equal(deployment, release.State.FindRepo(repo)?.Deployment);
        return refused;
    }

    [Fact]
    public void The_layers_deploy_in_order_from_approved_through_deploying_to_deployed()
    {
        var release = ApprovedThreeLayers();
        Assert.Equal([["db-service"], ["api-service"], ["web-app"]], release.DeployOrder.Layers.Select(l => l.ToArray()).ToArray());

        var started = AssertAccepted(release, () => Report(release, "db-service", Db, DeploymentState.InProgress));
        Assert.Equal("deploy-in-progress", started.Action);
        Assert.Equal(ReleaseStatus.Deploying, release.State.Status);
        Assert.Equal(new RepoDeployment(DeploymentState.InProgress, Db, _clock.UtcNow.UtcDateTime, "ci", "https://ci.example.com/run/1", "ci-id"),
            release.State.FindRepo("db-service")!.Deployment);

        AssertAccepted(release, () => Report(release, "db-service", Db, DeploymentState.Success));
        AssertAccepted(release, () => Report(release, "api-service", Api[..7], DeploymentState.Success)); // a prefix names the approved commit
        Assert.Equal(Api, release.State.FindRepo("api-service")!.Deployment!.Sha);
        Assert.Equal(ReleaseStatus.Deploying, release.State.Status);
        Assert.DoesNotContain(release.State.UnpublishedNotices, n => n.Kind == NoticeKind.DeployFinished);

        var last = AssertAccepted(release, () => Report(release, "web-app", Web, DeploymentState.Success));
        Assert.Equal("deployed", last.Action);
        Assert.Equal(ReleaseStatus.Deployed, release.State.Status);
        var notice = Assert.Single(release.State.UnpublishedNotices, n => n.Kind == NoticeKind.DeployFinished);
        Assert.Equal(last.Version, notice.Version);

        // Deployed: frozen for good.
        var after = AssertRefused(release, RuleViolation.Conflict, () => Report(release, "web-app", Web, DeploymentState.Failure));
        Assert.Contains("deployed", after.Message);
    }

    [Fact]
    public void A_repo_may_not_start_before_every_repo_of_the_earlier_layers_succeeded()
    {
        var release = ApprovedThreeLayers();
        var early = Refused(release, "api-service", Api, DeploymentState.InProgress);
        Assert.Contains("layer 2", early.Message);
        Assert.Contains("db-service (not started)", early.Message);
        Assert.Equal(ReleaseStatus.Approved, release.State.Status);

        Report(release, "db-service", Db, DeploymentState.InProgress);
        Assert.Contains("db-service (in progress)", Refused(release, "api-service", Api, DeploymentState.Success).Message);
        Report(release, "db-service", Db, DeploymentState.Success);
        var third = Refused(release, "web-app", Web, DeploymentState.InProgress);
        Assert.Contains("layer 3", third.Message);
        Assert.Contains("api-service (not started)", third.Message);
        Report(release, "api-service", Api, DeploymentState.InProgress);
    }

    [Fact]
    public void Only_the_approved_commit_of_an_included_repo_of_an_approved_release_may_be_reported()
    {
        var release = ApprovedThreeLayers();
        var wrong = Refused(release, "db-service", new string('e', 40), DeploymentState.InProgress);
        Assert.Contains($"approved at {Db}", wrong.Message);
        AssertRefused(release, RuleViolation.InvalidInput, () => Report(release, "db-service", "dd", DeploymentState.InProgress));
        AssertRefused(release, RuleViolation.NotFound, () => Report(release, "no-such-repo", Db, DeploymentState.InProgress));

        var pending = CreatedRelease(_clock, Change("db-service", Db));
        Assert.Contains("not approved", Refused(pending, "db-service", Db, DeploymentState.InProgress).Message);
    }

    [Fact]
    public void A_failure_is_told_once_blocks_mark_deployed_and_may_be_retried()
    {
        var release = ApprovedThreeLayers();
        Report(release, "db-service", Db, DeploymentState.InProgress);
        var failed = AssertAccepted(release, () => Report(release, "db-service", Db, DeploymentState.Failure));
        Assert.Equal("deploy-failure", failed.Action);
        Assert.Equal(ReleaseStatus.Deploying, release.State.Status);
        var notice = Assert.Single(release.State.UnpublishedNotices, n => n.Kind == NoticeKind.DeployFailed);
        Assert.Contains("db-service failed", notice.Detail);

        // The pipeline repeating its call changes nothing and tells nobody twice.
        var version = release.State.Version;
        Report(release, "db-service", Db, DeploymentState.Failure);
        Assert.Equal(version, release.State.Version);
        Assert.Single(release.State.UnpublishedNotices, n => n.Kind == NoticeKind.DeployFailed);

        var markDeployed = AssertRefused(release, RuleViolation.Conflict, () => release.Deploy(DevLead(), SameAsNow(release)));
        Assert.Contains("db-service failed", markDeployed.Message);

        var retry = AssertAccepted(release, () => Report(release, "db-service", Db, DeploymentState.InProgress));
        Assert.Contains("retrying", retry.Detail);
        AssertAccepted(release, () => Report(release, "db-service", Db, DeploymentState.Success));

        // Success is final for the repo.
        Assert.Contains("already reported success", Refused(release, "db-service", Db, DeploymentState.Failure).Message);
    }

    [Fact]
    public void While_deploying_what_ships_is_fixed_but_notes_may_change()
    {
        var release = ApprovedThreeLayers();
        Report(release, "db-service", Db, DeploymentState.InProgress);

        Assert.Contains("deploying", AssertRefused(release, RuleViolation.Conflict, () => release.UpdateRepo(Creator, "web-app", true, null, null)).Message);
        AssertRefused(release, RuleViolation.Conflict, () => release.UpdateRepo(Creator, "web-app", null, [], null));
        AssertRefused(release, RuleViolation.Conflict, () => release.Withdraw(Qa(), ApprovalKind.Qa));
        AssertRefused(release, RuleViolation.Conflict, () => release.Refresh(Creator, [Change("db-service", Db)], []));
        AssertAccepted(release, () => release.EditText(Creator, "Deploying now", null, null));
    }

    [Fact]
    public void A_freeze_stops_starting_but_not_a_failure_report_and_an_override_is_recorded_and_told()
    {
        var release = ApprovedThreeLayers();
        var frozen = new FreezeCheck(new ActiveFreeze("incident 42", new DateTime(2026, 11, 25, 0, 0, 0, DateTimeKind.Utc)));
        var refused = Refused(release, "db-service", Db, DeploymentState.InProgress, frozen);
        Assert.Contains("incident 42", refused.Message);
        AssertRefused(release, RuleViolation.Conflict, () => release.Deploy(DevLead(), SameAsNow(release), null, frozen));

        Report(release, "db-service", Db, DeploymentState.Failure, frozen); // news of a failure is always taken

        var version = release.State.Version;
        Report(release, "db-service", Db, DeploymentState.InProgress, frozen with { OverrideReason = "hotfix for incident 42" });
        Assert.Equal(version + 2, release.State.Version); // the override, then the report
        var entries = release.State.UnpublishedHistory.TakeLast(2).ToList();
        Assert.Equal("freeze-overridden", entries[0].Action);
        Assert.Contains("hotfix for incident 42", entries[0].Detail);
        Assert.Contains("incident 42", entries[0].Detail);
        var notice = Assert.Single(release.State.UnpublishedNotices, n => n.Kind == NoticeKind.FreezeOverridden);
        Assert.Equal(entries[0].Version, notice.Version);
    }

    [Fact]
    public void Mark_deployed_of_a_deploying_release_checks_only_the_repos_not_yet_deployed()
    {
        var release = ApprovedThreeLayers();
        Report(release, "db-service", Db, DeploymentState.Success);

        // db-service is merged (no longer differs); api-service moved on: refused, nothing changes.
        var moved = new ComparedRepos([Change("api-service", new string('f', 40)), Change("web-app", Web)], [], []);
        string? why = null;
        var version = release.State.Version;
        why = release.Deploy(DevLead(), moved);
        Assert.Contains("api-service (aaaaaaa → fffffff)", why);
        Assert.Equal(version, release.State.Version);
        Assert.Equal(ReleaseStatus.Deploying, release.State.Status);

        var same = new ComparedRepos([Change("api-service", Api), Change("web-app", Web)], [], []);
        var entry = AssertAccepted(release, () => why = release.Deploy(DevLead(), same));
        Assert.Null(why);
        Assert.Equal("deployed", entry.Action);
        Assert.Equal(ReleaseStatus.Deployed, release.State.Status);
    }
}
