namespace OrleansReleases.Grains.Events;

/// <summary>
/// The one list of the cluster's web fronts (use <see cref="Key"/>), and the way to tell all of them
/// something at once: a silo that changed the freeze or ended a session says so here, and every
/// silo's front hears it, its own included.
/// </summary>
public interface IClusterNoticesGrain : IGrainWithIntegerKey
{
    public const long Key = 0;

    /// <summary>Subscribes or renews; a subscription not renewed within <see cref="ClusterNoticesGrain.SubscriptionLifetime"/> lapses.</summary>
    Task Subscribe(IClusterNoticeObserver front);

    Task Unsubscribe(IClusterNoticeObserver front);

    Task FreezeChanged();

    Task SessionsEnded(string actorId);
}
