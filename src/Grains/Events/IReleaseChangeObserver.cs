using Orleans.Concurrency;
using OrleansReleases.Grains.Releases;

namespace OrleansReleases.Grains.Events;

/// <summary>Something outside the grains that wants every change to every release: each silo's SignalR hub, the chat bot.</summary>
public interface IReleaseChangeObserver : IGrainObserver
{
    [OneWay]
    Task ReleaseChanged(ReleaseView release);
}
