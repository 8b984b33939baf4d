using System.Diagnostics;
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

    /// <summary>When an events grain last read the list; no cached list anywhere is older.</summary>
    private long? _lastReadAt;

    public Task<TimeSpan> Subscribe(IReleaseChangeObserver subscriber)
    {
        var renewal = _subscriptions.Observers.ContainsKey(subscriber);
        _subscriptions.Subscribe(subscriber, subscriber);
        if (renewal || _lastReadAt is not { } readAt)
        {
            return Task.FromResult(TimeSpan.Zero);
        }

        // A list read at readAt is used until readAt + SubscribersKeptFor at most (the events grain
        // starts its clock before it asks): after that every events grain knows this subscriber.
        var settled = ReleaseEventsGrain.SubscribersKeptFor - Stopwatch.GetElapsedTime(readAt);
        return Task.FromResult(settled > TimeSpan.Zero ? settled : TimeSpan.Zero);
    }

    public Task Unsubscribe(IReleaseChangeObserver subscriber)
    {
        _subscriptions.Unsubscribe(subscriber);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<IReleaseChangeObserver>> GetSubscribers()
    {
        _subscriptions.ClearExpired();
        _lastReadAt = Stopwatch.GetTimestamp();
        return Task.FromResult<IReadOnlyList<IReleaseChangeObserver>>([.. _subscriptions.Observers.Values]);
    }
}
