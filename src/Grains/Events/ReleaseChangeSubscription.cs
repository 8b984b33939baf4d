using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrleansReleases.Grains.Events;

/// <summary>
/// Keeps one subscriber to release changes subscribed for as long as the process runs: subscribes
/// before the host starts listening, and until every events grain knows it (so a change made
/// through the first request is heard), renews
/// every <see cref="RenewEvery"/> (also after the subscriber list moved to another silo), and
/// unsubscribes at stop. Adding a consumer of release changes is one subclass saying who hears them
/// (<see cref="CreateSubscriber"/>), registered as a hosted service after the silo.
/// </summary>
public abstract class ReleaseChangeSubscription(IGrainFactory grains, ILogger logger) : BackgroundService
{
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(30);

    /// <summary>How long the start of the host waits for the first subscription; later renewals keep trying.</summary>
    private static readonly TimeSpan FirstSubscriptionTimeout = TimeSpan.FromSeconds(10);

    private IReleaseChangeObserver? _subscriber;

    private IReleaseSubscribersGrain Subscribers => grains.GetGrain<IReleaseSubscribersGrain>(IReleaseSubscribersGrain.Key);

    /// <summary>
    /// The reference the subscriber list keeps and the events grains call: an object reference to
    /// something in this process, or a grain that implements <see cref="IReleaseChangeObserver"/>.
    /// </summary>
    protected abstract IReleaseChangeObserver CreateSubscriber(IGrainFactory grainFactory);

    /// <summary>
    /// Whether the subscription ends when this process stops. True for something that lives in this
    /// process; false for a grain that other silos keep subscribed too (it lapses once none renews it).
    /// </summary>
    protected virtual bool EndsWithThisProcess => true;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _subscriber = CreateSubscriber(grains);
        var settling = await SubscribeAsync(_subscriber, FirstSubscriptionTimeout, cancellationToken);

        // Events grains on other silos may hold a subscriber list read just before this subscription
        // (for at most a second): once it expired, every change made through this host is heard.
        if (settling > TimeSpan.Zero)
        {
            await Task.Delay(settling, cancellationToken);
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RenewEvery);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            await SubscribeAsync(_subscriber!, RenewEvery, stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_subscriber is not null && EndsWithThisProcess)
        {
            try
            {
                await Subscribers.Unsubscribe(_subscriber);
            }
            catch (Exception ex)
            {
                logger.LogDebug(ex, "Could not unsubscribe from release changes while stopping");
            }
        }

        await base.StopAsync(cancellationToken);
    }

    /// <summary>Subscribes or renews; answers how long until every events grain calls the subscriber (zero after a failure).</summary>
    private async Task<TimeSpan> SubscribeAsync(IReleaseChangeObserver subscriber, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await Subscribers.Subscribe(subscriber).WaitAsync(timeout, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not subscribe to release changes; trying again in {Delay}", RenewEvery);
            return TimeSpan.Zero;
        }
    }
}
