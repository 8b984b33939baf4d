using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace OrleansReleases.Grains.Events;

/// <summary>
/// Keeps the subscriptions in memory, each until it is not renewed for <see cref="SubscriptionLifetime"/>:
/// a silo that died stops being called, and live subscribers renew well within the lifetime (also
/// after this grain moved to another silo and started from an empty list).
/// </summary>
public sealed class ReleaseSubscribersGrain(ILogger<ReleaseSubscribersGrain> logger) : Grain, IReleaseSubscribersGrain
{
    public static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromMinutes(2);

    // Keyed by the reference itself: subscribing the same grain from several silos keeps it once.
    private readonly ObserverManager<IReleaseChangeObserver, IReleaseChangeObserver> _subscriptions = new(SubscriptionLifetime, logger);

    public Task Subscribe(IReleaseChangeObserver subscriber)
    {
        _subscriptions.Subscribe(subscriber, subscriber);
        return Task.CompletedTask;
    }

    public Task Unsubscribe(IReleaseChangeObserver subscriber)
    {
        _subscriptions.Unsubscribe(subscriber);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<IReleaseChangeObserver>> GetSubscribers()
    {
        _subscriptions.ClearExpired();
        return Task.FromResult<IReadOnlyList<IReleaseChangeObserver>>([.. _subscriptions.Observers.Values]);
    }
}
