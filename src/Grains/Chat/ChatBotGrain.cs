using OrleansReleases.Grains.Releases;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Grains.Chat;

/// <summary>The bot's state: the ids of the messages already claimed, newest last.</summary>
public sealed class ChatBotState
{
    public List<string> ClaimedPostIds { get; set; } = [];
}

/// <inheritdoc cref="IChatBotGrain"/>
public sealed class ChatBotGrain(
    [PersistentState("chatbot", StorageNames.Provider)] IPersistentState<ChatBotState> state,
    ChatDelivery delivery) : Grain, IChatBotGrain
{
    /// <summary>How many claimed ids are remembered; Mattermost redelivers only recent posts.</summary>
    private const int RememberedPosts = 1000;

    /// <summary>How often pending summary edits and outbox notices are sent: also the coalescing window.</summary>
    public static readonly TimeSpan DeliveryPeriod = TimeSpan.FromSeconds(1);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The bot must run whether or not anyone calls it: say so, instead of relying on traffic.
        this.RegisterGrainTimer(() => { delivery.Kick(); return Task.CompletedTask; },
            new GrainTimerCreationOptions(TimeSpan.Zero, DeliveryPeriod) { KeepAlive = true });
        return Task.CompletedTask;
    }

    public Task Start() => Task.CompletedTask;

    public async Task<bool> ClaimMessage(string postId)
    {
        if (state.State.ClaimedPostIds.Contains(postId))
        {
            return false;
        }

        state.State.ClaimedPostIds.Add(postId);
        if (state.State.ClaimedPostIds.Count > RememberedPosts)
        {
            state.State.ClaimedPostIds.RemoveRange(0, state.State.ClaimedPostIds.Count - RememberedPosts);
        }

        await state.WriteStateAsync(); // a claim survives a crash: the message is never answered twice
        return true;
    }

    public Task ReleaseChanged(ReleaseView release)
    {
        delivery.Enqueue(release);
        delivery.Kick();
        return Task.CompletedTask;
    }
}
