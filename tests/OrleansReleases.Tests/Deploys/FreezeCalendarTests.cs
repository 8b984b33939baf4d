using OrleansReleases.Grains.Freeze;
using OrleansReleases.Tests.Support;

namespace OrleansReleases.Tests.Deploys;

/// <summary>Freeze windows read against a manual clock: time zones, a weekend, daylight-saving changes.</summary>
public sealed class FreezeCalendarTests
{
    private static FreezeWindow Window(string cron, string duration, string? zone, string reason = "weekend freeze") =>
        FreezeWindow.Parse(new FreezeWindowOptions { Cron = cron, Duration = duration, TimeZone = zone, Reason = reason }, 0);

    private static (FreezeCalendar Calendar, ManualClock Clock) Calendar(params FreezeWindow[] windows)
    {
        var clock = new ManualClock();
        return (new FreezeCalendar(windows, clock), clock);
    }

    private static DateTimeOffset Utc(int y, int mo, int d, int h, int mi = 0) => new(y, mo, d, h, mi, 0, TimeSpan.Zero);

    [Fact]
    public void A_window_from_Friday_16_00_for_64_hours_covers_the_weekend_in_its_time_zone()
    {
        // Friday 2026-11-27 16:00 in Berlin (CET, UTC+1) is 15:00 UTC; it ends Monday 08:00 CET, 07:00 UTC.
        var (calendar, clock) = Calendar(Window("0 16 * * FRI", "64:00:00", "Europe/Berlin"));

        clock.UtcNow = Utc(2026, 11, 27, 14, 59);
        Assert.Null(calendar.Active());
        var next = Assert.Single(calendar.Upcoming()).Next!;
        Assert.Equal(Utc(2026, 11, 27, 15), next.Start);
        Assert.Equal(Utc(2026, 11, 30, 7), next.End);

        clock.UtcNow = Utc(2026, 11, 27, 15);
        Assert.Equal(Utc(2026, 11, 30, 7), calendar.Active()!.End);

        clock.UtcNow = Utc(2026, 11, 29, 12); // Sunday
        var active = calendar.Active()!;
        Assert.Equal("weekend freeze", active.Reason);
        Assert.Equal(Utc(2026, 11, 27, 15), active.Start);

        clock.UtcNow = Utc(2026, 11, 30, 6, 59); // Monday 07:59 in Berlin
        Assert.NotNull(calendar.Active());
        clock.UtcNow = Utc(2026, 11, 30, 7); // Monday 08:00 in Berlin: over
        Assert.Null(calendar.Active());
        Assert.Equal(Utc(2026, 12, 4, 15), Assert.Single(calendar.Upcoming()).Next!.Start);
    }

    [Fact]
    public void The_same_cron_in_another_time_zone_is_another_instant()
    {
        var (calendar, clock) = Calendar(
            Window("0 16 * * FRI", "02:00:00", "America/New_York", "New York"),
            Window("0 16 * * FRI", "02:00:00", null, "UTC"));
        clock.UtcNow = Utc(2026, 11, 27, 16, 30);
        Assert.Equal("UTC", calendar.Active()!.Reason);

        clock.UtcNow = Utc(2026, 11, 27, 21, 30); // 16:30 in New York (EST, UTC-5)
        var active = calendar.Active()!;
        Assert.Equal("New York", active.Reason);
        Assert.Equal(Utc(2026, 11, 27, 21), active.Start);
        Assert.Equal(Utc(2026, 11, 27, 23), active.End);
    }

    [Fact]
    public void Over_the_autumn_clock_change_the_window_still_ends_at_its_local_hour()
    {
        // Friday 2026-10-23 16:00 CEST (UTC+2) = 14:00 UTC; clocks go back on Sunday 25 October;
        // Monday 08:00 CET (UTC+1) = 07:00 UTC: 65 hours in absolute time.
        var (calendar, clock) = Calendar(Window("0 16 * * FRI", "64:00:00", "Europe/Berlin"));
        clock.UtcNow = Utc(2026, 10, 25, 12);
        var active = calendar.Active()!;
        Assert.Equal(Utc(2026, 10, 23, 14), active.Start);
        Assert.Equal(Utc(2026, 10, 26, 7), active.End);

        clock.UtcNow = Utc(2026, 10, 26, 6, 30); // Monday 07:30 CET
        Assert.NotNull(calendar.Active());
        clock.UtcNow = Utc(2026, 10, 26, 7);
        Assert.Null(calendar.Active());
    }

    [Fact]
    public void Over_the_spring_clock_change_the_window_ends_at_its_local_hour_and_a_missing_hour_moves_forward()
    {
        // Friday 2026-03-27 16:00 CET = 15:00 UTC; clocks jump forward on Sunday 29 March;
        // Monday 08:00 CEST = 06:00 UTC: 63 hours in absolute time.
        var (calendar, clock) = Calendar(Window("0 16 * * FRI", "64:00:00", "Europe/Berlin"));
        clock.UtcNow = Utc(2026, 3, 28, 12);
        Assert.Equal(Utc(2026, 3, 30, 6), calendar.Active()!.End);

        // Saturday 23:30 + 3 hours would end at 02:30 on Sunday, which does not exist in Berlin: it ends when 03:00 is reached.
        var (night, nightClock) = Calendar(Window("30 23 * * SAT", "03:00:00", "Europe/Berlin"));
        nightClock.UtcNow = Utc(2026, 3, 28, 23); // Sunday 00:00 CET
        Assert.Equal(Utc(2026, 3, 29, 1), night.Active()!.End); // 03:00 CEST
    }

    [Fact]
    public void A_bad_window_stops_the_start_naming_its_setting()
    {
        var cron = Assert.Throws<InvalidOperationException>(() => Window("every friday", "01:00:00", null));
        Assert.Contains("Releases:Freeze:Windows:0:Cron", cron.Message);
        var zone = Assert.Throws<InvalidOperationException>(() => Window("0 16 * * FRI", "01:00:00", "Mars/Olympus"));
        Assert.Contains("Releases:Freeze:Windows:0:TimeZone", zone.Message);
        var duration = Assert.Throws<InvalidOperationException>(() => Window("0 16 * * FRI", "00:00:00", null));
        Assert.Contains("Releases:Freeze:Windows:0:Duration", duration.Message);
        Assert.Equal(TimeSpan.FromHours(64), FreezeWindow.ParseDuration("64:00:00"));
        Assert.Equal(TimeSpan.FromHours(64), FreezeWindow.ParseDuration("64h"));
        Assert.Equal(TimeSpan.FromHours(64), FreezeWindow.ParseDuration("2.16:00:00"));
        Assert.Equal(TimeSpan.FromMinutes(90), FreezeWindow.ParseDuration("90m"));
    }
}
