using Orleans.Concurrency;
using OrleansReleases.Grains.Releases;

namespace OrleansReleases.Grains.Events;

/// <summary>
/// A subscriber to every change of every release: each silo's SignalR hub, the chat bot grain, and
/// whatever comes next. Either an object in a process (an object reference) or a grain that
/// implements this interface; <see cref="ReleaseChangeSubscription"/> keeps either subscribed.
/// </summary>
public interface IReleaseChangeObserver : IGrainObserver
{
    [OneWay]
    Task ReleaseChanged(ReleaseView release);
}
