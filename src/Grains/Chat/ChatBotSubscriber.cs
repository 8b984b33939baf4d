using Microsoft.Extensions.Logging;
using OrleansReleases.Grains.Events;

namespace OrleansReleases.Grains.Chat;

/// <summary>
/// Subscribes the chat bot grain to release changes, so it can keep summary posts current. Every
/// silo with chat on runs one and subscribes the same grain: the subscriber list keeps it once (the
/// bot hears each change once), and it stays subscribed while any silo renews it.
/// </summary>
public sealed class ChatBotSubscriber(IGrainFactory grains, ILogger<ChatBotSubscriber> logger) : ReleaseChangeSubscription(grains, logger)
{
    protected override IReleaseChangeObserver CreateSubscriber(IGrainFactory grainFactory) =>
        grainFactory.GetGrain<IChatBotGrain>(IChatBotGrain.Key);

    /// <summary>The bot grain is the cluster's, not this silo's: a silo stopping leaves it subscribed for the others.</summary>
    protected override bool EndsWithThisProcess => false;
}
