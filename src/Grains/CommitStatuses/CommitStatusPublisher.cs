using Microsoft.Extensions.Logging;
using OrleansReleases.Grains.Events;
using OrleansReleases.Grains.Releases;

namespace OrleansReleases.Grains.CommitStatuses;

/// <summary>
/// Hears every change to every release and has the release's <see cref="ICommitStatusGrain"/>
/// deliver it at once. Only a nudge: what must be delivered is in the outbox, which the
/// <see cref="CommitStatusSweep"/> reads should a nudge be lost.
/// </summary>
public sealed class CommitStatusPublisher(IGrainFactory grains, ILogger<CommitStatusPublisher> logger)
    : ReleaseChangeSubscription(grains, logger), IReleaseChangeObserver
{
    private readonly IGrainFactory _grains = grains;

    protected override IReleaseChangeObserver CreateSubscriber(IGrainFactory grainFactory) =>
        grainFactory.CreateObjectReference<IReleaseChangeObserver>(this); // a singleton of this host, as the weak reference needs

    public Task ReleaseChanged(ReleaseView release)
    {
        try
        {
            _grains.GetGrain<ICommitStatusGrain>(release.Id).Deliver().Ignore();
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Could not ask for the commit statuses of release {ReleaseId}; the sweep will", release.Id);
        }

        return Task.CompletedTask;
    }
}
