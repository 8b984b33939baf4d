using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansReleases.Grains.Releases;

namespace OrleansReleases.Grains.Events;

/// <summary>
/// Keeps one local observer subscribed to the events grain for as long as the process runs:
/// subscribes at start, renews every <see cref="RenewEvery"/> (also after the events grain moved
/// to another silo), unsubscribes at stop. Subclasses say what to do with a change.
/// </summary>
public abstract class ReleaseChangeSubscription(IGrainFactory grains, ILogger logger) : BackgroundService, IReleaseChangeObserver
{
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(30);

    private IReleaseChangeObserver? _reference;

    private IReleaseEventsGrain Events => grains.GetGrain<IReleaseEventsGrain>(IReleaseEventsGrain.Key);

    public abstract Task ReleaseChanged(ReleaseView release);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _reference = grains.CreateObjectReference<IReleaseChangeObserver>(this);
        using var timer = new PeriodicTimer(RenewEvery);
        do
        {
            try
            {
                await Events.Subscribe(_reference);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not subscribe to release changes; trying again in {Delay}", RenewEvery);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_reference is not null)
        {
            try
            {
                await Events.Unsubscribe(_reference);
            }
            catch (Exception ex)
            {
                logger.LogDebug(ex, "Could not unsubscribe from release changes while stopping");
            }
        }

        await base.StopAsync(cancellationToken);
    }
}
