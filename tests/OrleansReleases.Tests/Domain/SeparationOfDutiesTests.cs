using OrleansReleases.Grains.Domain;
using static OrleansReleases.Tests.Domain.ReleaseTestKit;

namespace OrleansReleases.Tests.Domain;

/// <summary>One person cannot hold both approvals: people are their ids, not their names.</summary>
public sealed class SeparationOfDutiesTests
{
    private const string Issuer = "https://keycloak.example.com/realms/acme";
    private static readonly string[] BothRoles = [Roles.DevLead, Roles.Qa];

    private readonly ManualClock _clock = new();

    private static Actor Person(string name, string? id) => new(name, BothRoles, id);

    [Fact]
    public void An_approval_records_the_approvers_id_and_the_history_the_actors_id()
    {
        var release = CreatedRelease(_clock);

        var entry = AssertAccepted(release, () => release.Approve(Person("sam", $"{Issuer}|42"), ApprovalKind.Dev));

        Assert.Equal($"{Issuer}|42", release.State.Approvals.Get(ApprovalKind.Dev)?.ById);
        Assert.Equal(("sam", $"{Issuer}|42"), (entry.Actor, entry.ActorId));
    }

    [Fact]
    public void One_id_under_two_names_cannot_hold_both_approvals()
    {
        var release = CreatedRelease(_clock);
        release.Approve(Person("sam", $"{Issuer}|42"), ApprovalKind.Dev);

        // The same person, named by a token that carries no preferred_username.
        var refused = AssertRefused(release, RuleViolation.Conflict,
            () => release.Approve(Person("sam@example.com", $"{Issuer}|42"), ApprovalKind.Qa));

        Assert.Contains("one person cannot hold both approvals", refused.Message);
    }

    [Fact]
    public void Two_ids_sharing_a_name_are_two_people()
    {
        var release = CreatedRelease(_clock);
        release.Approve(Person("sam", $"{Issuer}|42"), ApprovalKind.Dev);

        var entry = AssertAccepted(release, () => release.Approve(Person("sam", $"{Issuer}|43"), ApprovalKind.Qa));

        Assert.Equal(ReleaseStatus.Approved, release.State.Status);
        Assert.DoesNotContain("separation of duties", entry.Detail);
    }

    [Fact]
    public void An_approval_stored_before_ids_compares_by_name()
    {
        var release = CreatedRelease(_clock);
        release.State.Approvals.Give(ApprovalKind.Dev, new Approval("sam", ManualClock.Start.UtcDateTime, [])); // no ById

        AssertRefused(release, RuleViolation.Conflict, () => release.Approve(Person("sam", $"{Issuer}|42"), ApprovalKind.Qa));
        AssertAccepted(release, () => release.Approve(Person("quinn", $"{Issuer}|7"), ApprovalKind.Qa));
    }

    [Fact]
    public void An_actor_without_an_id_compares_by_name()
    {
        Assert.True(ApprovalRules.GivenBy(new Approval("sam", default, [], $"{Issuer}|42"), new Actor("sam", [])));
        Assert.False(ApprovalRules.GivenBy(new Approval("sam", default, [], $"{Issuer}|42"), new Actor("dana", [])));
    }

    [Fact]
    public void With_separation_of_duties_off_one_person_holds_both_and_the_history_says_so()
    {
        var release = new Release(new ReleaseState(), Roles with { SeparationOfDuties = false }, _clock);
        release.Create("r-1", new NewRelease("uat", "master"), Creator, [Change("auth-service", "a1")], []);
        var dev = AssertAccepted(release, () => release.Approve(Person("sam", "dev:sam"), ApprovalKind.Dev));

        var qa = AssertAccepted(release, () => release.Approve(Person("sam", "dev:sam"), ApprovalKind.Qa));

        Assert.Equal(ReleaseStatus.Approved, release.State.Status);
        Assert.DoesNotContain("separation of duties", dev.Detail);
        Assert.Contains("separation of duties is off: one person holds both approvals", qa.Detail);
        Assert.Equal("dev:sam", qa.ActorId);
    }

    [Fact]
    public void With_separation_of_duties_off_two_people_approve_as_usual()
    {
        var release = new Release(new ReleaseState(), Roles with { SeparationOfDuties = false }, _clock);
        release.Create("r-1", new NewRelease("uat", "master"), Creator, [Change("auth-service", "a1")], []);
        release.Approve(Person("sam", "dev:sam"), ApprovalKind.Dev);

        var qa = AssertAccepted(release, () => release.Approve(Person("quinn", "dev:quinn"), ApprovalKind.Qa));

        Assert.DoesNotContain("separation of duties", qa.Detail);
    }

    [Fact]
    public void The_creators_id_is_kept_beside_the_name()
    {
        var release = new Release(new ReleaseState(), Roles, _clock);
        release.Create("r-1", new NewRelease("uat", "master"), new Actor("carol", [], "dev:carol"), [Change("auth-service", "a1")], []);

        Assert.Equal(("carol", "dev:carol"), (release.State.CreatedBy, release.State.CreatedById));
        Assert.Equal("dev:carol", release.State.UnpublishedHistory[^1].ActorId);
    }
}
