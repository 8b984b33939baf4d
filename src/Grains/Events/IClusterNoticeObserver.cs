using Orleans.Concurrency;

namespace OrleansReleases.Grains.Events;

/// <summary>
/// Each silo's web front, told of what concerns browsers connected to any silo but is not a change
/// of a release (those go through <see cref="IReleaseChangeObserver"/>). See <see cref="IClusterNoticesGrain"/>.
/// </summary>
public interface IClusterNoticeObserver : IGrainObserver
{
    /// <summary>The stop-the-line switch was set or lifted: read the freeze again and tell the browsers.</summary>
    [OneWay]
    Task FreezeChanged();

    /// <summary>The sessions of this person ended (signed out, or ended by the session rules): close their live connections.</summary>
    [OneWay]
    Task SessionsEnded(string actorId);
}
