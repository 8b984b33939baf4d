using Orleans.Concurrency;
using OrleansReleases.Grains.Releases;

namespace OrleansReleases.Grains.Events;

/// <summary>
/// The observer grain of the design: release grains tell it about every stored change, and it
/// tells every subscribed observer (one per silo for the SignalR hubs, plus the bot). One
/// instance for the whole cluster: use <see cref="Key"/>.
/// </summary>
public interface IReleaseEventsGrain : IGrainWithIntegerKey
{
    public const long Key = 0;

    /// <summary>Fire and forget: a release grain never waits for the browsers.</summary>
    [OneWay]
    Task ReleaseChanged(ReleaseView release);

    /// <summary>Subscribes or renews; a subscription not renewed within <see cref="ReleaseEventsGrain.SubscriptionLifetime"/> lapses.</summary>
    Task Subscribe(IReleaseChangeObserver observer);

    Task Unsubscribe(IReleaseChangeObserver observer);
}
