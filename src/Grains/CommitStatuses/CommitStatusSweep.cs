using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrleansReleases.Grains.CommitStatuses;

/// <summary>
/// At start and then every <see cref="CommitStatusOptions.SweepEvery"/>, has every release that
/// the outbox says GitHub has not heard about (and whose back-off has passed) delivered: what a
/// crash between a change and its call to GitHub left behind. Registered after the silo, so grains can run.
/// </summary>
public sealed class CommitStatusSweep(
    ICommitStatusOutbox outbox,
    IGrainFactory grains,
    CommitStatusOptions options,
    TimeProvider clock,
    ILogger<CommitStatusSweep> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.SweepEvery, clock);
        do
        {
            try
            {
                var due = await outbox.DueAsync(clock.GetUtcNow().UtcDateTime, max: 500, stoppingToken);
                foreach (var id in due)
                {
                    await grains.GetGrain<ICommitStatusGrain>(id).Deliver();
                }

                if (due.Count > 0)
                {
                    logger.LogDebug("Asked for the commit statuses of {Count} releases GitHub has not heard about", due.Count);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Could not look for undelivered commit statuses; trying again in {Delay}", options.SweepEvery);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
