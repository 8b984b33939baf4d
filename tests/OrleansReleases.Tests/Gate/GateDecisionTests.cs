using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Gate;

namespace OrleansReleases.Tests.Gate;

/// <summary>The gate's rule over candidate rows, without a silo or a database.</summary>
public sealed class GateDecisionTests
{
    private const string Head = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
    private const string Older = "0f1e2d3c4b5a69788796a5b4c3d2e1f009876543";

    private static readonly DateTime Monday = new(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);

    private static GateCandidate Row(string release, ReleaseStatus status, string sha = Head, bool excluded = false,
        bool dev = false, bool qa = false, int day = 0, string repo = "auth-service") =>
        new(release, Monday.AddDays(day), status, dev || status != ReleaseStatus.Pending, qa || status != ReleaseStatus.Pending, repo, sha, excluded);

    private static GateVerdict Decide(string sha, params GateCandidate[] rows) => GateDecision.Decide("auth-service", sha, "master", rows);

    [Fact]
    public void No_release_holding_the_repo_is_denied_and_says_so()
    {
        var verdict = Decide(Head);

        Assert.False(verdict.Allowed);
        Assert.Equal("No release into master holds auth-service.", verdict.Reason);
        Assert.Null(verdict.ReleaseId);
    }

    [Theory]
    [InlineData(ReleaseStatus.Approved)]
    [InlineData(ReleaseStatus.Deployed)]
    public void An_approved_or_deployed_release_holding_the_commit_allows_it(ReleaseStatus status)
    {
        var verdict = Decide(Head, Row("r-1", status));

        Assert.True(verdict.Allowed);
        Assert.Equal("r-1", verdict.ReleaseId);
    }

    [Theory]
    [InlineData("a1b2c3d")]
    [InlineData("A1B2C3D4E5")]
    [InlineData("A1B2C3D4E5F60718293A4B5C6D7E8F9012345678")]
    public void A_prefix_or_another_case_finds_the_commit(string sha)
    {
        Assert.True(Decide(sha, Row("r-1", ReleaseStatus.Approved)).Allowed);
    }

    [Fact]
    public void A_pending_release_is_denied_naming_the_approvals_it_lacks()
    {
        var both = Decide(Head, Row("r-1", ReleaseStatus.Pending));
        var qaOnly = Decide(Head, Row("r-1", ReleaseStatus.Pending, dev: true));

        Assert.False(both.Allowed);
        Assert.Equal($"Release r-1 holds auth-service at {Head} but is not approved yet: the dev approval and the qa approval are missing.", both.Reason);
        Assert.Equal($"Release r-1 holds auth-service at {Head} but is not approved yet: the qa approval is missing.", qaOnly.Reason);
        Assert.Equal("r-1", both.ReleaseId);
    }

    [Fact]
    public void An_excluded_repo_is_denied_even_when_the_release_is_approved()
    {
        var verdict = Decide(Head, Row("r-1", ReleaseStatus.Approved, excluded: true));

        Assert.False(verdict.Allowed);
        Assert.Equal("auth-service is excluded from release r-1: it is not cleared to ship into master.", verdict.Reason);
    }

    [Fact]
    public void Another_commit_is_denied_naming_the_commit_the_newest_release_holds()
    {
        var verdict = Decide(Older, Row("r-old", ReleaseStatus.Deployed, sha: "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), Row("r-new", ReleaseStatus.Approved, day: 1));

        Assert.False(verdict.Allowed);
        Assert.Equal("r-new", verdict.ReleaseId);
        Assert.Contains($"release r-new (approved) holds auth-service at {Head}", verdict.Reason);
        Assert.StartsWith($"auth-service at {Older} is not in any release into master", verdict.Reason);
    }

    [Fact]
    public void An_older_approved_release_holding_the_commit_allows_it_even_when_a_newer_one_holds_another()
    {
        var verdict = Decide(Older, Row("r-old", ReleaseStatus.Deployed, sha: Older), Row("r-new", ReleaseStatus.Pending, day: 1));

        Assert.True(verdict.Allowed);
        Assert.Equal("r-old", verdict.ReleaseId);
    }

    [Fact]
    public void Of_several_releases_holding_the_commit_an_approved_one_wins_over_a_newer_pending_one()
    {
        var verdict = Decide(Head, Row("r-1", ReleaseStatus.Approved), Row("r-2", ReleaseStatus.Pending, day: 1));

        Assert.True(verdict.Allowed);
        Assert.Equal("r-1", verdict.ReleaseId);
    }

    [Fact]
    public void When_none_clears_the_commit_the_newest_release_holding_it_says_why()
    {
        var verdict = Decide(Head, Row("r-1", ReleaseStatus.Approved, excluded: true), Row("r-2", ReleaseStatus.Pending, day: 1, dev: true));

        Assert.Equal("r-2", verdict.ReleaseId);
        Assert.Contains("the qa approval is missing", verdict.Reason);
    }

    [Fact]
    public void An_approved_release_that_excludes_the_repo_does_not_hide_another_that_includes_it()
    {
        var verdict = Decide(Head, Row("r-1", ReleaseStatus.Approved), Row("r-2", ReleaseStatus.Approved, excluded: true, day: 1));

        Assert.True(verdict.Allowed);
        Assert.Equal("r-1", verdict.ReleaseId);
    }

    [Fact]
    public void A_prefix_of_two_commits_is_ambiguous_and_denied()
    {
        var twin = "a1b2c3d999999999999999999999999999999999";
        var verdict = Decide("a1b2c3d", Row("r-1", ReleaseStatus.Approved), Row("r-2", ReleaseStatus.Approved, sha: twin, day: 1));

        Assert.False(verdict.Allowed);
        Assert.Contains("ambiguous", verdict.Reason);
        Assert.Contains(Head, verdict.Reason);
        Assert.Contains(twin, verdict.Reason);
        Assert.True(Decide("a1b2c3d4", Row("r-1", ReleaseStatus.Approved), Row("r-2", ReleaseStatus.Approved, sha: twin, day: 1)).Allowed);
    }

    [Fact]
    public void The_same_commit_in_two_releases_is_not_ambiguous()
    {
        Assert.True(Decide("a1b2c3d", Row("r-1", ReleaseStatus.Deployed), Row("r-2", ReleaseStatus.Approved, day: 1)).Allowed);
    }

    [Theory]
    [InlineData("auth-service")]
    [InlineData("github/auth-service")]
    [InlineData(".github")]
    [InlineData("Repo_1.x")]
    public void Usual_repo_names_are_accepted(string repo)
    {
        Assert.Null(GateInput.RepoProblem(repo));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-rf")]
    [InlineData("a/b/c")]
    [InlineData("/auth")]
    [InlineData("..")]
    [InlineData("auth service")]
    [InlineData("auth;rm")]
    public void Other_repo_names_are_refused(string? repo)
    {
        Assert.NotNull(GateInput.RepoProblem(repo));
    }

    [Theory]
    [InlineData("a1b2c3d", true)]
    [InlineData("A1B2C3D", true)]
    [InlineData(Head, true)]
    [InlineData("a1b2c3", false)]
    [InlineData("a1b2c3g", false)]
    [InlineData(Head + "0", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void A_sha_is_7_to_40_hex_digits(string? sha, bool valid)
    {
        Assert.Equal(valid, GateInput.ShaProblem(sha) is null);
    }

    [Theory]
    [InlineData("auth-service", "auth-service", true)]
    [InlineData("Auth-Service", "auth-service", true)]
    [InlineData("auth-service", "github/auth-service", true)]
    [InlineData("github/auth-service", "github/auth-service", true)]
    [InlineData("local/auth-service", "github/auth-service", false)]
    [InlineData("github/auth-service", "auth-service", false)]
    [InlineData("auth", "auth-service", false)]
    public void A_bare_name_also_finds_the_repo_under_a_source_prefix(string asked, string held, bool matches)
    {
        Assert.Equal(matches, GateInput.Matches(asked, held));
    }

    [Fact]
    public void An_approved_release_whose_repo_could_not_be_compared_is_denied_until_refreshed()
    {
        var verdict = Decide(Head, Row("r-1", ReleaseStatus.Approved) with { Stale = true });

        Assert.False(verdict.Allowed);
        Assert.Equal("r-1", verdict.ReleaseId);
        Assert.Contains("could not compare auth-service", verdict.Reason);
    }

    [Fact]
    public void A_deployed_release_stays_a_record_even_if_its_repo_is_stale()
    {
        Assert.True(Decide(Head, Row("r-1", ReleaseStatus.Deployed) with { Stale = true }).Allowed);
    }
}
