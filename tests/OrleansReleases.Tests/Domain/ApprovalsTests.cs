using OrleansReleases.Grains.Domain;

namespace OrleansReleases.Tests.Domain;

/// <summary>The approvals of a release, kept by kind in one type.</summary>
public sealed class ApprovalsTests
{
    private static readonly Approval Dana = new("dana", ManualClock.Start.UtcDateTime, []);
    private static readonly Approval Quinn = new("quinn", ManualClock.Start.AddMinutes(1).UtcDateTime, []);

    [Fact]
    public void The_kinds_are_every_approval_kind_in_reading_order()
    {
        Assert.Equal([ApprovalKind.Dev, ApprovalKind.Qa], Approvals.Kinds);
        Assert.Equal(["dev", "qa"], Approvals.Kinds.Select(k => k.Slug()));
        Assert.Equal(["Dev", "QA"], Approvals.Kinds.Select(k => k.Label()));
    }

    [Fact]
    public void A_new_set_holds_nothing_and_is_not_complete()
    {
        var approvals = new Approvals();

        Assert.True(approvals.IsEmpty);
        Assert.False(approvals.IsComplete);
        Assert.All(Approvals.Kinds, kind => Assert.Null(approvals.Get(kind)));
        Assert.Empty(approvals.Given());
    }

    [Fact]
    public void Giving_every_kind_completes_it_and_each_reads_back_by_kind()
    {
        var approvals = new Approvals();

        approvals.Give(ApprovalKind.Qa, Quinn);
        Assert.False(approvals.IsComplete);
        approvals.Give(ApprovalKind.Dev, Dana);

        Assert.True(approvals.IsComplete);
        Assert.Equal(Dana, approvals.Get(ApprovalKind.Dev));
        Assert.Equal(Quinn, approvals.Get(ApprovalKind.Qa));
        Assert.Equal([(ApprovalKind.Dev, Dana), (ApprovalKind.Qa, Quinn)], approvals.Given());
    }

    [Fact]
    public void Withdrawing_returns_the_approval_and_leaves_the_others()
    {
        var approvals = new Approvals();
        approvals.Give(ApprovalKind.Dev, Dana);
        approvals.Give(ApprovalKind.Qa, Quinn);

        Assert.Equal(Dana, approvals.Withdraw(ApprovalKind.Dev));
        Assert.Null(approvals.Withdraw(ApprovalKind.Dev));

        Assert.Null(approvals.Get(ApprovalKind.Dev));
        Assert.Equal(Quinn, approvals.Get(ApprovalKind.Qa));
        Assert.False(approvals.IsComplete);
        Assert.False(approvals.IsEmpty);
    }

    [Fact]
    public void Clearing_removes_every_approval()
    {
        var approvals = new Approvals();
        approvals.Give(ApprovalKind.Dev, Dana);
        approvals.Give(ApprovalKind.Qa, Quinn);

        approvals.Clear();

        Assert.True(approvals.IsEmpty);
        Assert.False(approvals.IsComplete);
    }

    [Theory]
    [InlineData("dev", ApprovalKind.Dev)]
    [InlineData("qa", ApprovalKind.Qa)]
    public void A_slug_names_its_kind(string slug, ApprovalKind expected)
    {
        Assert.True(ApprovalKindNames.TryParse(slug, out var kind));
        Assert.Equal(expected, kind);
    }

    [Theory]
    [InlineData("Dev")]
    [InlineData("security")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_names_no_kind(string? slug) => Assert.False(ApprovalKindNames.TryParse(slug, out _));
}
