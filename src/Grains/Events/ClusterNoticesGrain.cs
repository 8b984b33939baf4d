using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace OrleansReleases.Grains.Events;

/// <summary>
/// Keeps the web fronts in memory, each until it is not renewed for <see cref="SubscriptionLifetime"/>
/// (a silo that died stops being called; live ones renew well within it, also after this grain moved
/// and started from an empty list), and passes each notice to all of them.
/// </summary>
public sealed class ClusterNoticesGrain(ILogger<ClusterNoticesGrain> logger) : Grain, IClusterNoticesGrain
{
    public static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromMinutes(2);

    private readonly ObserverManager<IClusterNoticeObserver, IClusterNoticeObserver> _fronts = new(SubscriptionLifetime, logger);

    public Task Subscribe(IClusterNoticeObserver front)
    {
        _fronts.Subscribe(front, front);
        return Task.CompletedTask;
    }

    public Task Unsubscribe(IClusterNoticeObserver front)
    {
        _fronts.Unsubscribe(front);
        return Task.CompletedTask;
    }

    public Task FreezeChanged()
    {
        _fronts.Notify(front => front.FreezeChanged());
        return Task.CompletedTask;
    }

    public Task SessionsEnded(string actorId)
    {
        _fronts.Notify(front => front.SessionsEnded(actorId));
        return Task.CompletedTask;
    }
}
