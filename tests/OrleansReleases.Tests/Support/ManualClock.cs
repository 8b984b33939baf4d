namespace OrleansReleases.Tests.Support;

/// <summary>A clock that stands still until a test sets or advances it.</summary>
public sealed class ManualClock : TimeProvider
{
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    public ManualClock(DateTimeOffset? now = null)
    {
        UtcNow = (now ?? Start).ToUniversalTime();
    }

    public DateTimeOffset UtcNow { get; set; }

    public override DateTimeOffset GetUtcNow() => UtcNow;

    public void Advance(TimeSpan by) => UtcNow += by;
}
