using Microsoft.Extensions.Logging;

namespace OrleansReleases.Grains.Events;

/// <summary>
/// Keeps one subscriber to release changes subscribed for as long as the process runs (see
/// <see cref="RenewedSubscription"/>): the host starts listening only once every events grain knows
/// it, so a change made through the first request is heard. Adding a consumer of release changes
/// is one subclass saying who hears them (<see cref="CreateSubscriber"/>), registered as a hosted
/// service after the silo.
/// </summary>
public abstract class ReleaseChangeSubscription(IGrainFactory grains, ILogger logger) : RenewedSubscription(logger)
{
    private IReleaseChangeObserver? _subscriber;

    private IReleaseSubscribersGrain Subscribers => grains.GetGrain<IReleaseSubscribersGrain>(IReleaseSubscribersGrain.Key);

    /// <summary>
    /// The reference the subscriber list keeps and the events grains call: an object reference to
    /// something in this process, or a grain that implements <see cref="IReleaseChangeObserver"/>.
    /// </summary>
    protected abstract IReleaseChangeObserver CreateSubscriber(IGrainFactory grainFactory);

    protected override string Topic => "release changes";

    // Answers how long until every events grain calls the subscriber (their cached lists expire).
    protected override Task<TimeSpan> SubscribeAsync() => Subscribers.Subscribe(_subscriber ??= CreateSubscriber(grains));

    protected override Task UnsubscribeAsync() => _subscriber is null ? Task.CompletedTask : Subscribers.Unsubscribe(_subscriber);
}
