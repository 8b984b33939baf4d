using OrleansReleases.Grains.Events;

namespace OrleansReleases.Grains.Chat;

/// <summary>
/// The chat bot's one coordinator in the cluster (use <see cref="Key"/>). Every silo listens to
/// Mattermost, and the grain decides which one answers a message (the first to claim it); it hears
/// every release change as a subscriber (see <see cref="ChatBotSubscriber"/>) and has this silo's <see cref="ChatDelivery"/> keep
/// summary posts current and deliver the outbox. It keeps itself active while the bot runs.
/// </summary>
public interface IChatBotGrain : IGrainWithIntegerKey, IReleaseChangeObserver
{
    public const long Key = 0;

    /// <summary>Activates the bot (its keep-alive timer then keeps it running).</summary>
    Task Start();

    /// <summary>True for the first caller with this post id, false for every later one: that caller answers.</summary>
    Task<bool> ClaimMessage(string postId);
}
