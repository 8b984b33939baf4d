using Cronos;

namespace OrleansReleases.Grains.Freeze;

/// <summary>A recurring freeze window: starts at each occurrence of <see cref="Cron"/> in <see cref="Zone"/>, lasts <see cref="Duration"/>.</summary>
public sealed record FreezeWindow(CronExpression Cron, TimeSpan Duration, TimeZoneInfo Zone, string Reason)
{
    /// <summary>Reads one window of the settings; throws naming the setting when it is not usable.</summary>
    public static FreezeWindow Parse(FreezeWindowOptions options, int index)
    {
        var setting = $"{FreezeOptions.Section}:Windows:{index}";
        if (string.IsNullOrWhiteSpace(options.Cron))
        {
            throw new InvalidOperationException($"{setting}:Cron is missing: give a cron expression such as \"0 16 * * FRI\".");
        }

        CronExpression cron;
        try
        {
            var fields = options.Cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            cron = CronExpression.Parse(options.Cron, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException ex)
        {
            throw new InvalidOperationException($"{setting}:Cron \"{options.Cron}\" is not a cron expression: {ex.Message}", ex);
        }

        if (ParseDuration(options.Duration) is not { } duration || duration <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{setting}:Duration \"{options.Duration}\" must be a length above zero, such as 64:00:00 or 64h.");
        }

        TimeZoneInfo zone;
        try
        {
            zone = string.IsNullOrWhiteSpace(options.TimeZone) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone.Trim());
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new InvalidOperationException($"{setting}:TimeZone \"{options.TimeZone}\" is not a known time zone (use an IANA id such as Europe/Berlin).", ex);
        }

        var reason = string.IsNullOrWhiteSpace(options.Reason) ? $"freeze window ({options.Cron})" : options.Reason.Trim();
        return new FreezeWindow(cron, duration, zone, reason);
    }

    /// <summary><c>64:00:00</c> is 64 hours (not 64 days, as <see cref="TimeSpan.Parse(string)"/> reads it); also <c>64h</c>, <c>90m</c>, <c>3d</c>, <c>2.16:00:00</c>.</summary>
    public static TimeSpan? ParseDuration(string? text)
    {
        var value = text?.Trim() ?? "";
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var clock = System.Text.RegularExpressions.Regex.Match(value, @"^(\d+):([0-5]\d)(?::([0-5]\d))?$");
        if (clock.Success)
        {
            return TimeSpan.FromHours(int.Parse(clock.Groups[1].Value, invariant))
                + TimeSpan.FromMinutes(int.Parse(clock.Groups[2].Value, invariant))
                + TimeSpan.FromSeconds(clock.Groups[3].Success ? int.Parse(clock.Groups[3].Value, invariant) : 0);
        }

        var unit = System.Text.RegularExpressions.Regex.Match(value, @"^(\d+(?:\.\d+)?)\s*([dhm])$", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        if (unit.Success)
        {
            var amount = double.Parse(unit.Groups[1].Value, invariant);
            return char.ToLowerInvariant(unit.Groups[2].Value[0]) switch
            {
                'd' => TimeSpan.FromDays(amount),
                'h' => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromMinutes(amount),
            };
        }

        return TimeSpan.TryParse(value, invariant, out var parsed) ? parsed : null;
    }

    /// <summary>
    /// When the occurrence starting at <paramref name="start"/> ends: the start's wall-clock time in
    /// <see cref="Zone"/> plus <see cref="Duration"/>, so "Friday 16:00 for 64 hours" ends Monday 08:00
    /// local even over a daylight-saving change. A local end that does not exist (clocks jump forward)
    /// moves forward past the gap; one that exists twice (clocks go back) is the later of the two.
    /// </summary>
    public DateTimeOffset EndOf(DateTimeOffset start)
    {
        var wall = TimeZoneInfo.ConvertTime(start, Zone).DateTime + Duration;
        wall = DateTime.SpecifyKind(wall, DateTimeKind.Unspecified);
        while (Zone.IsInvalidTime(wall))
        {
            wall = wall.AddMinutes(15);
        }

        var offset = Zone.IsAmbiguousTime(wall) ? Zone.GetAmbiguousTimeOffsets(wall).Min() : Zone.GetUtcOffset(wall);
        return new DateTimeOffset(wall, offset).ToUniversalTime();
    }
}

/// <summary>One occurrence of a window: from <see cref="Start"/> (inclusive) to <see cref="End"/> (exclusive), in UTC.</summary>
public sealed record FreezeOccurrence(string Reason, DateTimeOffset Start, DateTimeOffset End)
{
    public bool Covers(DateTimeOffset at) => Start <= at && at < End;
}

/// <summary>
/// The freeze windows of the settings, read against a clock: which window is in force now, and when
/// each is next. Plain code over <see cref="TimeProvider"/>, so tests turn a manual clock.
/// </summary>
public sealed class FreezeCalendar(IReadOnlyList<FreezeWindow> windows, TimeProvider clock)
{
    public IReadOnlyList<FreezeWindow> Windows => windows;

    /// <summary>The window in force now, if any (of several, the one that ends last).</summary>
    public FreezeOccurrence? Active() => ActiveAt(clock.GetUtcNow());

    public FreezeOccurrence? ActiveAt(DateTimeOffset at) =>
        windows.Select(w => CurrentOf(w, at)).OfType<FreezeOccurrence>().MaxBy(o => o.End);

    /// <summary>Each window's occurrence in force now, else its next one (null when it never occurs again); in settings order.</summary>
    public IReadOnlyList<(FreezeWindow Window, FreezeOccurrence? Next)> Upcoming()
    {
        var now = clock.GetUtcNow();
        return windows.Select(w => (w, CurrentOf(w, now) ?? NextOf(w, now))).ToList();
    }

    private static FreezeOccurrence? CurrentOf(FreezeWindow window, DateTimeOffset at)
    {
        // Occurrences that started within the window's longest possible length (a day's slack for time-zone shifts).
        var from = at - window.Duration - TimeSpan.FromDays(1);
        FreezeOccurrence? current = null;
        foreach (var start in window.Cron.GetOccurrences(from, at, window.Zone, fromInclusive: true, toInclusive: true))
        {
            var occurrence = new FreezeOccurrence(window.Reason, start.ToUniversalTime(), window.EndOf(start));
            if (occurrence.Covers(at) && (current is null || occurrence.End > current.End))
            {
                current = occurrence;
            }
        }

        return current;
    }

    private static FreezeOccurrence? NextOf(FreezeWindow window, DateTimeOffset at) =>
        window.Cron.GetNextOccurrence(at, window.Zone, inclusive: false) is { } start
            ? new FreezeOccurrence(window.Reason, start.ToUniversalTime(), window.EndOf(start))
            : null;
}
