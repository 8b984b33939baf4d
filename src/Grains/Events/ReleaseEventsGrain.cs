using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansReleases.Grains.Chat;
using Orleans.Utilities;
using OrleansReleases.Grains.Releases;

namespace OrleansReleases.Grains.Events;

/// <summary>
/// Fans release changes out to the observers, and to the chat bot grain when there is a bot. Subscriptions live in memory and lapse unless
/// renewed, so a silo that died stops being called; live subscribers renew well within the lifetime.
/// </summary>
public sealed class ReleaseEventsGrain(IOptions<MattermostOptions> chat, ILogger<ReleaseEventsGrain> logger) : Grain, IReleaseEventsGrain
{
    public static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromMinutes(2);

    private readonly ObserverManager<IReleaseChangeObserver> _observers = new(SubscriptionLifetime, logger);

    public Task ReleaseChanged(ReleaseView release)
    {
        _observers.Notify(observer => observer.ReleaseChanged(release));
        if (chat.Value.Enabled)
        {
            GrainFactory.GetGrain<IChatBotGrain>(IChatBotGrain.Key).ReleaseChanged(release).Ignore();
        }

        return Task.CompletedTask;
    }

    public Task Subscribe(IReleaseChangeObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task Unsubscribe(IReleaseChangeObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }
}
