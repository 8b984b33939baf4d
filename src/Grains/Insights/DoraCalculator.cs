using System.Globalization;
using OrleansReleases.Grains.Domain;

namespace OrleansReleases.Grains.Insights;

/// <summary>
/// One release as the figures read it: its index facts, its whole history (oldest first) and the
/// commits its included repos shipped, each with its author time (from the commit lists).
/// </summary>
public sealed record InsightRelease(
    string Id,
    string DestBranch,
    DateTime CreatedAt,
    ReleaseStatus Status,
    IReadOnlyList<HistoryEntry> History,
    IReadOnlyList<ShippedCommit> Commits);

/// <summary>A commit a repo of a release shipped, and when its author wrote it (UTC).</summary>
public sealed record ShippedCommit(string Repo, string Sha, DateTime AuthoredAt);

/// <summary>
/// The days the figures cover: <see cref="From"/> and <see cref="To"/> inclusive, as UTC days.
/// </summary>
public sealed record InsightRange(DateOnly From, DateOnly To)
{
    /// <summary>How many days a range covers by default (ending today, UTC).</summary>
    public const int DefaultDays = 90;

    /// <summary>The longest range asked for at once.</summary>
    public const int MaxDays = 1100;

    public DateTime Start => From.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary>The first moment after the range.</summary>
    public DateTime End => To.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    public bool Contains(DateTime at) => at >= Start && at < End;

    public static InsightRange Default(TimeProvider clock)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return new InsightRange(today.AddDays(-(DefaultDays - 1)), today);
    }
}

/// <summary>The DORA figures and the gate's own, over a range of days: <c>GET /api/insights</c>.</summary>
public sealed record InsightsReport(
    string? Dest,
    DateOnly From,
    DateOnly To,
    string Weeks,
    DeploymentFrequency DeploymentFrequency,
    LeadTimeForChanges LeadTimeForChanges,
    ChangeFailureRate ChangeFailureRate,
    TimeToRestore TimeToRestore,
    GateFigures Gate);

/// <summary>Deployed releases: <see cref="Total"/>, <see cref="PerWeek"/> (total over the weeks of the range) and every week's count.</summary>
public sealed record DeploymentFrequency(int Total, double PerWeek, IReadOnlyList<WeekCount> Weeks);

/// <summary>One ISO week (UTC): its name (<c>2026-W48</c>), its Monday, and how many.</summary>
public sealed record WeekCount(string Week, DateOnly Start, int Count);

/// <summary>
/// From each shipped commit's author time to the moment its repo reported <c>success</c> (or the
/// release was marked deployed), in hours: <see cref="Commits"/> measured, median and 90th percentile, by week of deployment.
/// </summary>
public sealed record LeadTimeForChanges(int Commits, double? MedianHours, double? P90Hours, IReadOnlyList<WeekDuration> Weeks);

/// <summary>One ISO week's median (hours) over <see cref="Count"/> measurements; null when none.</summary>
public sealed record WeekDuration(string Week, DateOnly Start, int Count, double? MedianHours);

/// <summary>Deployed releases, those among them that had a <c>failure</c> report, and the share (null when none deployed).</summary>
public sealed record ChangeFailureRate(int Deployed, int Failed, double? Rate);

/// <summary>From a repo's <c>failure</c> report to its next <c>success</c>: how many restores, their median in hours, and failures not restored (yet).</summary>
public sealed record TimeToRestore(int Restores, double? MedianHours, int Unrestored);

/// <summary>A duration measured <see cref="Count"/> times: median and 90th percentile in hours (null when none).</summary>
public sealed record DurationFigure(int Count, double? MedianHours, double? P90Hours);

/// <summary>
/// The gate's own figures: created → approved (the moment both approvals were last held), approved →
/// deployed, approvals given, and approvals dismissed by new commits (and in how many releases).
/// </summary>
public sealed record GateFigures(
    DurationFigure CreatedToApproved,
    DurationFigure ApprovedToDeployed,
    int ApprovalsGiven,
    int ApprovalsDismissed,
    int ReleasesApproved,
    int ReleasesWithDismissals);

/// <summary>
/// The figures from the releases themselves (a plain class: releases and their history in, figures
/// out). Weeks are ISO 8601 weeks (Monday first, week 1 holds the year's first Thursday) in UTC.
/// A release counts as deployed at its <c>deployed</c> history entry, whether the last pipeline
/// report or a person's "Mark deployed" made it so; a deployment measure falls in the range when
/// that moment does. Medians of an even count are the mean of the middle two; the 90th percentile
/// is the nearest rank (the value at position ⌈0.9·n⌉ of the sorted values).
/// </summary>
public sealed class DoraCalculator
{
    public const string WeekRule = "ISO 8601 weeks (Monday first) in UTC";

    public InsightsReport Compute(IEnumerable<InsightRelease> releases, InsightRange range, string? dest = null)
    {
        var chosen = releases.Where(r => dest is null || r.DestBranch == dest).Select(Read).ToList();
        var weeks = WeeksOf(range);

        var deployed = chosen.Where(r => r.DeployedAt is { } at && range.Contains(at)).ToList();
        var frequency = new DeploymentFrequency(
            deployed.Count,
            Round(deployed.Count / (double)weeks.Count),
            [.. weeks.Select(w => new WeekCount(w.Name, w.Monday, deployed.Count(r => IsoWeek.Of(r.DeployedAt!.Value).Monday == w.Monday)))]);

        var leads = deployed.SelectMany(r => r.LeadTimes).ToList();
        var leadTime = new LeadTimeForChanges(leads.Count, Median(leads.Select(l => l.Hours)), P90(leads.Select(l => l.Hours)),
            [.. weeks.Select(w =>
            {
                var inWeek = leads.Where(l => IsoWeek.Of(l.At).Monday == w.Monday).Select(l => l.Hours).ToList();
                return new WeekDuration(w.Name, w.Monday, inWeek.Count, Median(inWeek));
            })]);

        var failed = deployed.Count(r => r.HadFailure);
        var failureRate = new ChangeFailureRate(deployed.Count, failed, deployed.Count == 0 ? null : Round(failed / (double)deployed.Count, 4));

        var failures = chosen.SelectMany(r => r.Failures).Where(f => range.Contains(f.FailedAt)).ToList();
        var restores = failures.Where(f => f.RestoredAt is not null).Select(f => Hours(f.RestoredAt!.Value - f.FailedAt)).ToList();
        var restore = new TimeToRestore(restores.Count, Median(restores), failures.Count - restores.Count);

        var approvedInRange = chosen.Where(r => r.ApprovedAt is { } at && range.Contains(at)).ToList();
        var toApproved = approvedInRange.Select(r => Hours(r.ApprovedAt!.Value - r.CreatedAt)).ToList();
        var toDeployed = deployed.Where(r => r.ApprovedAt is not null).Select(r => Hours(r.DeployedAt!.Value - r.ApprovedAt!.Value)).ToList();
        var given = chosen.Sum(r => r.Approvals.Count(range.Contains));
        var dismissals = chosen.Select(r => r.Dismissals.Count(range.Contains)).ToList();
        var gate = new GateFigures(
            new DurationFigure(toApproved.Count, Median(toApproved), P90(toApproved)),
            new DurationFigure(toDeployed.Count, Median(toDeployed), P90(toDeployed)),
            given,
            dismissals.Sum(),
            chosen.Count(r => r.EverApprovedAt.Any(range.Contains)),
            dismissals.Count(n => n > 0));

        return new InsightsReport(dest, range.From, range.To, WeekRule, frequency, leadTime, failureRate, restore, gate);
    }

    /// <summary>Every ISO week (UTC) that overlaps the range, in order.</summary>
    public static IReadOnlyList<IsoWeek> WeeksOf(InsightRange range)
    {
        var weeks = new List<IsoWeek>();
        for (var week = IsoWeek.Of(range.Start); week.Monday <= range.To; week = IsoWeek.Of(week.Monday.AddDays(7).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)))
        {
            weeks.Add(week);
        }

        return weeks;
    }

    private static ReadRelease Read(InsightRelease release)
    {
        var read = new ReadRelease { CreatedAt = release.CreatedAt };
        var held = new HashSet<string>(StringComparer.Ordinal);
        var firstSuccess = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        var openFailure = new Dictionary<string, Failure>(StringComparer.Ordinal);
        foreach (var entry in release.History.OrderBy(e => e.Version))
        {
            if (entry.Action is "approved-dev" or "approved-qa")
            {
                read.Approvals.Add(entry.At);
                held.Add(entry.Action);
                if (held.Count == 2 && read.DeployedAt is null)
                {
                    read.ApprovedAt = entry.At;
                    read.EverApprovedAt.Add(entry.At);
                }
            }
            else if (entry.Action.StartsWith("withdrawn-", StringComparison.Ordinal))
            {
                held.Remove("approved-" + entry.Action["withdrawn-".Length..]);
            }

            if (entry.Detail.Contains("approvals dismissed", StringComparison.Ordinal))
            {
                held.Clear();
                // Dismissed by new commits: a head moved (not merely a repo included or left out).
                if (entry.Changes.Any(c => c.Field.EndsWith(" head", StringComparison.Ordinal) && c.Before is not null && c.After is not null))
                {
                    read.Dismissals.Add(entry.At);
                }
            }

            foreach (var change in entry.Changes.Where(c => c.Field.EndsWith(" deployment", StringComparison.Ordinal)))
            {
                var repo = change.Field[..^" deployment".Length];
                if (change.After == "failure")
                {
                    read.HadFailure = true;
                    if (!openFailure.ContainsKey(repo))
                    {
                        var failure = new Failure(entry.At);
                        openFailure[repo] = failure;
                        read.Failures.Add(failure);
                    }
                }
                else if (change.After == "success")
                {
                    firstSuccess.TryAdd(repo, entry.At);
                    if (openFailure.Remove(repo, out var failure))
                    {
                        failure.RestoredAt = entry.At;
                    }
                }
            }

            if (entry.Action == "deployed")
            {
                read.DeployedAt = entry.At;
            }
        }

        if (read.DeployedAt is { } deployedAt)
        {
            foreach (var commit in release.Commits)
            {
                // Repos without a success report of their own shipped when the release was marked deployed.
                var shippedAt = firstSuccess.TryGetValue(commit.Repo, out var success) ? success : deployedAt;
                if (commit.AuthoredAt <= shippedAt)
                {
                    read.LeadTimes.Add((shippedAt, Hours(shippedAt - commit.AuthoredAt)));
                }
            }
        }

        return read;
    }

    private static double Hours(TimeSpan span) => Round(span.TotalHours);

    private static double Round(double value, int digits = 2) => Math.Round(value, digits, MidpointRounding.AwayFromZero);

    /// <summary>The median; the mean of the middle two for an even count; null for none.</summary>
    public static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }

        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : Round((sorted[middle - 1] + sorted[middle]) / 2);
    }

    /// <summary>The 90th percentile by nearest rank; null for none.</summary>
    public static double? P90(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? null : sorted[(int)Math.Ceiling(0.9 * sorted.Count) - 1];
    }

    private sealed class Failure(DateTime failedAt)
    {
        public DateTime FailedAt { get; } = failedAt;

        public DateTime? RestoredAt { get; set; }
    }

    private sealed class ReadRelease
    {
        public DateTime CreatedAt { get; init; }

        public DateTime? DeployedAt { get; set; }

        /// <summary>The moment both approvals were last held before the release was deployed.</summary>
        public DateTime? ApprovedAt { get; set; }

        public List<DateTime> EverApprovedAt { get; } = [];

        public List<DateTime> Approvals { get; } = [];

        public List<DateTime> Dismissals { get; } = [];

        public bool HadFailure { get; set; }

        public List<Failure> Failures { get; } = [];

        public List<(DateTime At, double Hours)> LeadTimes { get; } = [];
    }
}

/// <summary>An ISO 8601 week in UTC: its name (<c>2026-W48</c>) and its Monday.</summary>
public readonly record struct IsoWeek(string Name, DateOnly Monday)
{
    public static IsoWeek Of(DateTime at)
    {
        var utc = at.Kind == DateTimeKind.Local ? at.ToUniversalTime() : at;
        var day = DateOnly.FromDateTime(utc);
        var monday = day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
        var name = string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(utc):D4}-W{ISOWeek.GetWeekOfYear(utc):D2}");
        return new IsoWeek(name, monday);
    }
}
