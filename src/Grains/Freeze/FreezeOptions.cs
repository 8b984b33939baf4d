namespace OrleansReleases.Grains.Freeze;

/// <summary>Settings under <c>Releases:Freeze</c>: recurring windows in which deploys are frozen.</summary>
public sealed class FreezeOptions
{
    public const string Section = "Releases:Freeze";

    /// <summary><c>Releases:Freeze:Windows:0:Cron</c>, <c>:Duration</c>, <c>:TimeZone</c>, <c>:Reason</c>, ...</summary>
    public List<FreezeWindowOptions> Windows { get; set; } = [];
}

/// <summary>One recurring freeze window, as set.</summary>
public sealed class FreezeWindowOptions
{
    /// <summary>When a window starts: a cron expression (5 fields, or 6 with seconds first), read in <see cref="TimeZone"/>.</summary>
    public string? Cron { get; set; }

    /// <summary>
    /// How long it lasts, in wall-clock time of <see cref="TimeZone"/>: <c>64:00:00</c> (hours:minutes[:seconds],
    /// hours beyond 23 are hours), <c>64h</c>, <c>90m</c>, <c>3d</c>, or .NET's <c>2.16:00:00</c>.
    /// </summary>
    public string? Duration { get; set; }

    /// <summary>An IANA (or Windows) time zone id; UTC when unset.</summary>
    public string? TimeZone { get; set; }

    /// <summary>What people read while it is in force.</summary>
    public string? Reason { get; set; }
}
