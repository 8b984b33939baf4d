using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrleansReleases.Grains.Events;

/// <summary>
/// Keeps one subscription to a cluster-wide list that forgets what is not renewed (so a silo that
/// died stops being called) for as long as the process runs: subscribes before the host starts
/// listening, renews every <see cref="RenewEvery"/> (also after the list's grain moved to another
/// silo and started empty), and unsubscribes at stop. Subclasses say which list and who subscribes:
/// <see cref="ReleaseChangeSubscription"/> (release changes) and the web front's cluster notices.
/// </summary>
public abstract class RenewedSubscription(ILogger logger) : BackgroundService
{
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(30);

    /// <summary>How long the start of the host waits for the first subscription; later renewals keep trying.</summary>
    private static readonly TimeSpan FirstSubscriptionTimeout = TimeSpan.FromSeconds(10);

    /// <summary>What the subscription is to, for the logs ("release changes").</summary>
    protected abstract string Topic { get; }

    /// <summary>Subscribes or renews; answers how long until the subscription surely takes effect everywhere (zero: at once).</summary>
    protected abstract Task<TimeSpan> SubscribeAsync();

    protected abstract Task UnsubscribeAsync();

    /// <summary>
    /// Whether the subscription ends when this process stops. True for something that lives in this
    /// process; false for a grain that other silos keep subscribed too (it lapses once none renews it).
    /// </summary>
    protected virtual bool EndsWithThisProcess => true;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var settling = await TrySubscribeAsync(FirstSubscriptionTimeout, cancellationToken);

        // Lists cached elsewhere may have been read just before this subscription: once they
        // expired, everything that happens through this host is heard.
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
            await TrySubscribeAsync(RenewEvery, stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (EndsWithThisProcess)
        {
            try
            {
                await UnsubscribeAsync();
            }
            catch (Exception ex)
            {
                logger.LogDebug(ex, "Could not unsubscribe from {Topic} while stopping", Topic);
            }
        }

        await base.StopAsync(cancellationToken);
    }

    /// <summary>Subscribes or renews; zero after a failure, which the next renewal makes good.</summary>
    private async Task<TimeSpan> TrySubscribeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await SubscribeAsync().WaitAsync(timeout, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not subscribe to {Topic}; trying again in {Delay}", Topic, RenewEvery);
            return TimeSpan.Zero;
        }
    }
}
