using OrleansReleases.Grains.Domain;
using OrleansReleases.Tests.Support;
using static OrleansReleases.Tests.Domain.ReleaseTestKit;

namespace OrleansReleases.Tests.Domain;

/// <summary>Withdrawing someone else's approval names both people, and the chat channel hears of it.</summary>
public sealed class ApprovalWithdrawalTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void Withdrawing_another_persons_approval_is_recorded_with_both_names_and_a_notice()
    {
        var release = CreatedRelease(_clock);
        ApproveBoth(release);

        var entry = AssertAccepted(release, () => release.Withdraw(DevLead("erin"), ApprovalKind.Dev));

        Assert.Equal("erin", entry.Actor);
        Assert.Equal("Dev approval of dana withdrawn by erin", entry.Detail);
        var notice = Assert.Single(release.State.UnpublishedNotices, n => n.Kind == NoticeKind.ApprovalWithdrawnByOther);
        Assert.Equal(entry.Version, notice.Version);
        Assert.Equal("Dev approval of dana withdrawn by erin", notice.Detail);
    }

    [Fact]
    public void Withdrawing_ones_own_approval_needs_no_notice()
    {
        var release = CreatedRelease(_clock);
        ApproveBoth(release);

        var entry = AssertAccepted(release, () => release.Withdraw(Qa(), ApprovalKind.Qa));

        Assert.Equal("QA approval of quinn withdrawn", entry.Detail);
        Assert.DoesNotContain(release.State.UnpublishedNotices, n => n.Kind == NoticeKind.ApprovalWithdrawnByOther);
    }
}
