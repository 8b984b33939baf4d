namespace OrleansReleases.Grains.Events;

/// <summary>
/// The one list of who hears release changes, for the whole cluster (use <see cref="Key"/>). The
/// events grains read it now and then and call the subscribers themselves, so this grain sees one
/// call per subscriber renewal and per cache refresh, never one per change.
/// </summary>
public interface IReleaseSubscribersGrain : IGrainWithIntegerKey
{
    public const long Key = 0;

    /// <summary>
    /// Subscribes or renews; a subscription not renewed within <see cref="ReleaseSubscribersGrain.SubscriptionLifetime"/>
    /// lapses. Answers how long until every events grain calls a new subscriber (their cached lists
    /// read before it expire): zero for a renewal, or when no events grain has read the list lately.
    /// </summary>
    Task<TimeSpan> Subscribe(IReleaseChangeObserver subscriber);

    Task Unsubscribe(IReleaseChangeObserver subscriber);

    /// <summary>The subscriptions that have not lapsed.</summary>
    Task<IReadOnlyList<IReleaseChangeObserver>> GetSubscribers();
}
