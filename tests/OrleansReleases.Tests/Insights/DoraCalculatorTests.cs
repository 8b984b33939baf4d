using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Insights;
using OrleansReleases.Tests.Support;
using Xunit;

namespace OrleansReleases.Tests.Insights;

/// <summary>Each figure of <see cref="DoraCalculator"/> on hand-built releases and histories, with a manual clock.</summary>
public sealed class DoraCalculatorTests
{
    // 2026-11-24 (ManualClock.Start) is a Tuesday of ISO week 2026-W48 (Monday 2026-11-23).
    private static readonly DateTime T0 = ManualClock.Start.UtcDateTime;

    private readonly ManualClock _clock = new();

    private static readonly InsightRange Range = new(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30));

    /// <summary>Builds one release's history, version by version.</summary>
    private sealed class Story(string id, DateTime createdAt, string dest = "master")
    {
        private readonly List<HistoryEntry> _entries = [new(1, createdAt, "sam", "created", "created")];
        private readonly List<ShippedCommit> _commits = [];

        public Story Then(DateTime at, string action, string detail = "", params FieldChange[] changes)
        {
            _entries.Add(new HistoryEntry(_entries.Count + 1, at, "sam", action, detail) { Changes = changes });
            return this;
        }

        public Story Approved(DateTime dev, DateTime qa) => Then(dev, "approved-dev").Then(qa, "approved-qa");

        public Story Report(DateTime at, string repo, string? before, string after, bool last = false) =>
            Then(at, last ? "deployed" : $"deploy-{after.Replace('_', '-')}", $"{repo} reported", new FieldChange($"{repo} deployment", before, after));

        public Story MarkedDeployed(DateTime at) => Then(at, "deployed", "marked deployed");

        public Story Commit(string repo, DateTime authored)
        {
            _commits.Add(new ShippedCommit(repo, $"{_commits.Count:x40}", authored));
            return this;
        }

        public InsightRelease Build() => new(id, dest, _entries[0].At, _entries.Any(e => e.Action == "deployed") ? ReleaseStatus.Deployed : ReleaseStatus.Pending, _entries, _commits);
    }

    [Fact]
    public void An_empty_range_has_zero_counts_null_figures_and_every_week_listed()
    {
        var report = new DoraCalculator().Compute([], Range);

        Assert.Equal(0, report.DeploymentFrequency.Total);
        Assert.Equal(0, report.DeploymentFrequency.PerWeek);
        // 2026-11-01 is a Sunday (week 44); 2026-11-30 a Monday (week 49).
        Assert.Equal(["2026-W44", "2026-W45", "2026-W46", "2026-W47", "2026-W48", "2026-W49"], report.DeploymentFrequency.Weeks.Select(w => w.Week));
        Assert.Equal(new DateOnly(2026, 10, 26), report.DeploymentFrequency.Weeks[0].Start);
        Assert.All(report.DeploymentFrequency.Weeks, w => Assert.Equal(0, w.Count));
        Assert.Null(report.LeadTimeForChanges.MedianHours);
        Assert.Null(report.LeadTimeForChanges.P90Hours);
        Assert.Null(report.ChangeFailureRate.Rate);
        Assert.Null(report.TimeToRestore.MedianHours);
        Assert.Null(report.Gate.CreatedToApproved.MedianHours);
        Assert.Equal(0, report.Gate.ApprovalsDismissed);
        Assert.Equal(DoraCalculator.WeekRule, report.Weeks);
    }

    [Fact]
    public void One_release_deployed_by_its_pipeline_gives_every_figure()
    {
        var created = T0;
        var release = new Story("r1", created)
            .Commit("api", T0.AddHours(-10))
            .Commit("api", T0.AddHours(-4))
            .Commit("web", T0.AddHours(-2))
            .Approved(T0.AddHours(1), T0.AddHours(3))
            .Report(T0.AddHours(4), "api", null, "in_progress")
            .Report(T0.AddHours(5), "api", "in_progress", "success")
            .Report(T0.AddHours(6), "web", null, "success", last: true)
            .Build();

        var report = new DoraCalculator().Compute([release], Range);

        Assert.Equal(1, report.DeploymentFrequency.Total);
        Assert.Equal(1, report.DeploymentFrequency.Weeks.Single(w => w.Week == "2026-W48").Count);
        Assert.Equal(Math.Round(1 / 6.0, 2), report.DeploymentFrequency.PerWeek);
        // api shipped at +5h: 15h and 9h; web at +6h: 8h.
        Assert.Equal(3, report.LeadTimeForChanges.Commits);
        Assert.Equal(9, report.LeadTimeForChanges.MedianHours);
        Assert.Equal(15, report.LeadTimeForChanges.P90Hours);
        Assert.Equal(9, report.LeadTimeForChanges.Weeks.Single(w => w.Week == "2026-W48").MedianHours);
        Assert.Equal(new ChangeFailureRate(1, 0, 0), report.ChangeFailureRate);
        Assert.Equal(new TimeToRestore(0, null, 0), report.TimeToRestore);
        Assert.Equal(new DurationFigure(1, 3, 3), report.Gate.CreatedToApproved);
        Assert.Equal(new DurationFigure(1, 3, 3), report.Gate.ApprovedToDeployed);
        Assert.Equal(2, report.Gate.ApprovalsGiven);
        Assert.Equal(1, report.Gate.ReleasesApproved);
    }

    [Fact]
    public void A_failure_and_its_restore_count_for_the_failure_rate_and_time_to_restore()
    {
        var failed = new Story("r1", T0)
            .Approved(T0.AddHours(1), T0.AddHours(2))
            .Report(T0.AddHours(3), "db", null, "in_progress")
            .Report(T0.AddHours(4), "db", "in_progress", "failure")
            .Report(T0.AddHours(5), "db", "failure", "in_progress")
            .Report(T0.AddHours(6.5), "db", "in_progress", "success", last: true)
            .Build();
        var clean = new Story("r2", T0.AddDays(1)).Approved(T0.AddDays(1).AddHours(1), T0.AddDays(1).AddHours(1)).MarkedDeployed(T0.AddDays(1).AddHours(2)).Build();
        var stillBroken = new Story("r3", T0.AddDays(2)).Approved(T0.AddDays(2), T0.AddDays(2))
            .Report(T0.AddDays(2).AddHours(1), "web", null, "failure").Build();

        var report = new DoraCalculator().Compute([failed, clean, stillBroken], Range);

        Assert.Equal(new ChangeFailureRate(2, 1, 0.5), report.ChangeFailureRate);
        Assert.Equal(new TimeToRestore(1, 2.5, 1), report.TimeToRestore);
        Assert.Equal(2, report.DeploymentFrequency.Total);
    }

    [Fact]
    public void A_release_marked_deployed_by_hand_counts_at_the_marks_time_and_its_commits_shipped_then()
    {
        var release = new Story("r1", T0)
            .Commit("api", T0.AddHours(-1))
            .Approved(T0.AddHours(1), T0.AddHours(2))
            .MarkedDeployed(T0.AddDays(6)) // Monday 2026-11-30, the next week
            .Build();

        var report = new DoraCalculator().Compute([release], Range);

        Assert.Equal(1, report.DeploymentFrequency.Weeks.Single(w => w.Week == "2026-W49").Count);
        Assert.Equal(0, report.DeploymentFrequency.Weeks.Single(w => w.Week == "2026-W48").Count);
        Assert.Equal(145, report.LeadTimeForChanges.MedianHours);
        Assert.Equal(142, report.Gate.ApprovedToDeployed.MedianHours);
    }

    [Fact]
    public void Weeks_are_iso_weeks_in_utc_whatever_the_time_zone_the_deploy_happened_in()
    {
        // Sunday 2026-11-29 23:30 in New York is Monday 04:30 UTC: week 49, not 48.
        var newYork = new DateTimeOffset(2026, 11, 29, 23, 30, 0, TimeSpan.FromHours(-5));
        // Monday 2026-11-30 00:30 in Berlin is Sunday 23:30 UTC: week 48.
        var berlin = new DateTimeOffset(2026, 11, 30, 0, 30, 0, TimeSpan.FromHours(1));
        var a = new Story("a", T0).Approved(T0, T0).MarkedDeployed(newYork.UtcDateTime).Build();
        var b = new Story("b", T0).Approved(T0, T0).MarkedDeployed(berlin.UtcDateTime).Build();

        var report = new DoraCalculator().Compute([a, b], Range);

        Assert.Equal(1, report.DeploymentFrequency.Weeks.Single(w => w.Week == "2026-W48").Count);
        Assert.Equal(1, report.DeploymentFrequency.Weeks.Single(w => w.Week == "2026-W49").Count);
        Assert.Equal(new IsoWeek("2026-W53", new DateOnly(2026, 12, 28)), IsoWeek.Of(new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public void Deploys_outside_the_range_and_other_destinations_are_left_out()
    {
        var before = new Story("old", T0.AddDays(-60)).Approved(T0.AddDays(-60), T0.AddDays(-60)).MarkedDeployed(T0.AddDays(-59)).Build();
        var lastDay = new Story("edge", T0).Approved(T0, T0).MarkedDeployed(new DateTime(2026, 11, 30, 23, 59, 59, DateTimeKind.Utc)).Build();
        var afterRange = new Story("next", T0).Approved(T0, T0).MarkedDeployed(new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc)).Build();
        var toUat = new Story("uat", T0, dest: "uat").Approved(T0, T0).MarkedDeployed(T0.AddHours(1)).Build();

        var report = new DoraCalculator().Compute([before, lastDay, afterRange, toUat], Range, dest: "master");

        Assert.Equal(1, report.DeploymentFrequency.Total);
        Assert.Equal("master", report.Dest);
        Assert.Equal(2, new DoraCalculator().Compute([before, lastDay, afterRange, toUat], Range).DeploymentFrequency.Total);
    }

    [Fact]
    public void Approvals_dismissed_by_new_commits_are_counted_and_the_last_approval_is_the_one_measured()
    {
        var release = new Story("r1", T0)
            .Approved(T0.AddHours(1), T0.AddHours(2))
            .Then(T0.AddHours(3), "refreshed", "compared again; approvals dismissed (api: 1a2b3c4 → 5d6e7f8)", new FieldChange("api head", "1a2b3c4", "5d6e7f8"))
            .Then(T0.AddHours(4), "repo-updated", "web: excluded; approvals dismissed (web left out)", new FieldChange("web head", "aaaaaaa", null))
            .Approved(T0.AddHours(10), T0.AddHours(12))
            .MarkedDeployed(T0.AddHours(13))
            .Build();
        var untouched = new Story("r2", T0).Approved(T0.AddHours(1), T0.AddHours(1)).Build();

        var report = new DoraCalculator().Compute([release, untouched], Range);

        Assert.Equal(1, report.Gate.ApprovalsDismissed); // leaving a repo out is not "new commits"
        Assert.Equal(1, report.Gate.ReleasesWithDismissals);
        Assert.Equal(6, report.Gate.ApprovalsGiven);
        Assert.Equal(2, report.Gate.ReleasesApproved);
        Assert.Equal(new DurationFigure(2, 6.5, 12), report.Gate.CreatedToApproved);
        Assert.Equal(new DurationFigure(1, 1, 1), report.Gate.ApprovedToDeployed);
    }

    [Fact]
    public void The_default_range_is_the_last_90_days_ending_today_utc()
    {
        _clock.UtcNow = new DateTimeOffset(2026, 11, 24, 23, 0, 0, TimeSpan.FromHours(-3)); // already the 25th in UTC
        var range = InsightRange.Default(_clock);
        Assert.Equal(new DateOnly(2026, 11, 25), range.To);
        Assert.Equal(90, range.To.DayNumber - range.From.DayNumber + 1);
    }

    [Fact]
    public void Medians_of_an_even_count_are_the_mean_of_the_middle_two_and_p90_is_the_nearest_rank()
    {
        Assert.Equal(2.5, DoraCalculator.Median([4, 1, 3, 2]));
        Assert.Equal(9, DoraCalculator.P90(Enumerable.Range(1, 10).Select(i => (double)i)));
        Assert.Equal(10, DoraCalculator.P90(Enumerable.Range(1, 11).Select(i => (double)i)));
        Assert.Null(DoraCalculator.Median([]));
    }
}
