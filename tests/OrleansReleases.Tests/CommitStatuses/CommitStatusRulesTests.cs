using OrleansReleases.Grains.CommitStatuses;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Releases;

namespace OrleansReleases.Tests.CommitStatuses;

/// <summary>Which commit statuses a release wants on GitHub, at every step of its life.</summary>
public sealed class CommitStatusRulesTests
{
    private const string Url = "https://releases.example.com/releases/r-1";
    private static readonly ApprovalRoles Roles = new();
    private static readonly Actor Carol = new("carol", []);
    private static readonly Actor Dana = new("dana", [Roles.DevLead]);
    private static readonly Actor Quinn = new("quinn", [Roles.Qa]);

    private static Release Created(params RepoChange[] repos)
    {
        var release = new Release(new ReleaseState(), Roles, TimeProvider.System);
        release.Create("r-1", new NewRelease("uat", "master"), Carol,
            repos.Length > 0 ? repos : [GitHub("auth-service", "a1"), GitHub("user-service", "u1")], []);
        return release;
    }

    private static RepoChange GitHub(string name, string sha) => new(name, 1, ["Alice"], sha, Source: "github");

    private static IReadOnlyList<DesiredStatus> For(Release release) => CommitStatusRules.For(ReleaseView.From(release), Url);

    [Fact]
    public void A_new_release_wants_pending_on_every_github_head_with_the_gate_context_and_the_release_page()
    {
        var statuses = For(Created());

        Assert.Equal(
        [
            new DesiredStatus("auth-service", "a1", "release-gate/master", "pending", "waiting for Dev and QA sign-off in release r-1", Url),
            new DesiredStatus("user-service", "u1", "release-gate/master", "pending", "waiting for Dev and QA sign-off in release r-1", Url),
        ], statuses);
    }

    [Fact]
    public void The_context_names_the_destination_branch()
    {
        var release = new Release(new ReleaseState(), Roles, TimeProvider.System);
        release.Create("r-2", new NewRelease("rc", "main"), Carol, [GitHub("auth-service", "a1")], []);

        Assert.Equal("release-gate/main", Assert.Single(For(release)).Context);
    }

    [Fact]
    public void Pending_says_which_sign_off_is_missing_and_both_make_success()
    {
        var release = Created();
        release.Approve(Dana, ApprovalKind.Dev);
        Assert.All(For(release), s => Assert.Equal(("pending", "waiting for QA sign-off in release r-1"), (s.State, s.Description)));

        release.Approve(Quinn, ApprovalKind.Qa);
        Assert.All(For(release), s => Assert.Equal(("success", "signed off by Dev and QA in release r-1"), (s.State, s.Description)));

        release.Withdraw(Dana, ApprovalKind.Dev);
        Assert.All(For(release), s => Assert.Equal(("pending", "waiting for Dev sign-off in release r-1"), (s.State, s.Description)));
    }

    [Fact]
    public void An_excluded_repo_fails_the_gate_whatever_the_approvals()
    {
        var release = Created();
        release.UpdateRepo(Carol, "user-service", excluded: true, dependsOn: null, expectedVersion: null);
        release.Approve(Dana, ApprovalKind.Dev);
        release.Approve(Quinn, ApprovalKind.Qa);

        var statuses = For(release);

        Assert.Equal(("success", "auth-service"), (statuses[0].State, statuses[0].Repo));
        Assert.Equal(new DesiredStatus("user-service", "u1", "release-gate/master", "failure", "not cleared to ship in release r-1", Url), statuses[1]);
    }

    [Fact]
    public void New_heads_after_dismissed_approvals_are_pending()
    {
        var release = Created();
        release.Approve(Dana, ApprovalKind.Dev);
        release.Approve(Quinn, ApprovalKind.Qa);

        release.Refresh(Carol, [GitHub("auth-service", "a2"), GitHub("user-service", "u1")], []);

        Assert.Equal(ReleaseStatus.Pending, release.State.Status);
        Assert.Equal([("auth-service", "a2", "pending"), ("user-service", "u1", "pending")],
            For(release).Select(s => (s.Repo, s.Sha, s.State)));
    }

    [Fact]
    public void A_deployed_release_stays_success()
    {
        var release = Created();
        release.Approve(Dana, ApprovalKind.Dev);
        release.Approve(Quinn, ApprovalKind.Qa);
        release.Deploy(Carol, new ComparedRepos(
            [.. release.State.Repos.Select(r => new RepoChange(r.Name, r.CommitCount, r.Contributors, r.HeadSha, r.PrNumber, r.PrUrl, r.Source))], [], []));

        Assert.All(For(release), s => Assert.Equal(("success", "deployed in release r-1"), (s.State, s.Description)));
    }

    [Fact]
    public void Only_github_repos_get_statuses_under_their_github_name()
    {
        var release = Created(
            GitHub("github/auth-service", "g1"),
            new RepoChange("local/auth-service", 1, ["Dave"], "l1", Source: "local"),
            new RepoChange("local-tool", 1, ["Erin"], "t1", Source: "local"),
            GitHub("api-gateway", "p1"));

        Assert.Equal([("api-gateway", "p1"), ("auth-service", "g1")], For(release).Select(s => (s.Repo, s.Sha)));
    }

    [Fact]
    public void A_repo_stored_without_its_source_counts_as_github_only_when_its_name_says_so()
    {
        var release = Created(
            new RepoChange("github/auth-service", 1, ["Alice"], "g1"),
            new RepoChange("api-gateway", 1, ["Carol"], "p1"));

        Assert.Equal([("auth-service", "g1")], For(release).Select(s => (s.Repo, s.Sha)));
    }

    [Fact]
    public void A_repo_without_a_head_gets_no_status()
    {
        Assert.Empty(For(Created(GitHub("auth-service", ""))));
    }

    [Fact]
    public void Descriptions_fit_githubs_limit()
    {
        var release = new Release(new ReleaseState(), Roles, TimeProvider.System);
        release.Create(new string('x', 200), new NewRelease("uat", "master"), Carol, [GitHub("auth-service", "a1")], []);

        var status = Assert.Single(For(release));

        Assert.Equal(CommitStatusRules.MaxDescriptionLength, status.Description.Length);
    }
}
