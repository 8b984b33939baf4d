using Microsoft.Extensions.Logging;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Grains.Sources;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Grains.Chat;

/// <summary>
/// Answers one message addressed to the bot, in the message's thread. Every failure gets a
/// clear reply; a message is never met with silence.
/// </summary>
public sealed class ChatCommandHandler(
    MattermostClient client,
    ReleaseService releases,
    IReleaseCatalog catalog,
    DashboardLinks links,
    TimeProvider clock,
    IGrainFactory grains,
    ILogger<ChatCommandHandler> logger)
{
    /// <summary>How often the "comparing…" reply is edited to show progress.</summary>
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(2);

    public async Task HandleAsync(MattermostPost post, string sender, string botName, CancellationToken cancellationToken)
    {
        var command = ChatCommand.Parse(post.Message, botName) ?? new ChatCommand.Help();
        var thread = string.IsNullOrEmpty(post.RootId) ? post.Id : post.RootId;
        try
        {
            switch (command)
            {
                case ChatCommand.CreateRelease create:
                    await CreateReleaseAsync(post.ChannelId, thread, create, sender, cancellationToken);
                    break;
                case ChatCommand.ListReleases:
                    var pending = await catalog.ListAsync(new ReleaseQuery(Status: ReleaseStatus.Pending, Limit: 20), cancellationToken);
                    var approved = await catalog.ListAsync(new ReleaseQuery(Status: ReleaseStatus.Approved, Limit: 20), cancellationToken);
                    var deploying = await catalog.ListAsync(new ReleaseQuery(Status: ReleaseStatus.Deploying, Limit: 20), cancellationToken);
                    var open = deploying.Items.Concat(approved.Items).Concat(pending.Items).OrderByDescending(r => r.CreatedAt).ToList();
                    await client.CreatePostAsync(post.ChannelId, ChatMessages.OpenReleases(open, links), thread, cancellationToken: cancellationToken);
                    break;
                case ChatCommand.Status status:
                    var release = Releases.ReleaseId.IsWellFormed(status.ReleaseId) ? await grains.GetGrain<IReleaseGrain>(status.ReleaseId).Get() : null;
                    await client.CreatePostAsync(post.ChannelId, release is null ? $"There is no release `{status.ReleaseId.Replace("`", "")}`." : ChatMessages.Status(release, links),
                        thread, cancellationToken: cancellationToken);
                    break;
                case ChatCommand.Help help:
                    var text = help.Problem is null ? ChatMessages.Help(botName) : $"{help.Problem}\n\n{ChatMessages.Help(botName)}";
                    await client.CreatePostAsync(post.ChannelId, text, thread, cancellationToken: cancellationToken);
                    break;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not answer chat message {PostId}", post.Id);
            await client.CreatePostAsync(post.ChannelId, ChatMessages.Failed("Your command", "the service hit an error; it has been logged."),
                thread, cancellationToken: cancellationToken);
        }
    }

    /// <summary>
    /// Replies "comparing…" at once, edits that reply with progress, and turns it into the
    /// release's summary post (or into the reason it could not be created).
    /// </summary>
    private async Task CreateReleaseAsync(string channelId, string thread, ChatCommand.CreateRelease create, string sender, CancellationToken cancellationToken)
    {
        var reply = await client.CreatePostAsync(channelId, ChatMessages.Comparing(create.Source, create.Dest), thread, cancellationToken: cancellationToken);
        var progress = new ThrottledProgress(clock, ProgressEvery, value =>
            _ = client.EditPostAsync(reply.Id, ChatMessages.Comparing(create.Source, create.Dest, value.Compared, value.Total), CancellationToken.None));
        try
        {
            var spec = new NewRelease(create.Source, create.Dest, ChatChannelId: channelId, ChatPostId: reply.Id);
            var release = await releases.CreateAsync(spec, new Actor(sender, []), progress, cancellationToken);
            await client.EditPostAsync(reply.Id, ChatMessages.Summary(release, links), cancellationToken);
        }
        catch (ReleaseRuleException refused)
        {
            await client.EditPostAsync(reply.Id, ChatMessages.Failed($"Creating the release `{create.Source}` → `{create.Dest}`", refused.Message), cancellationToken);
        }
    }

    private sealed class ThrottledProgress(TimeProvider clock, TimeSpan every, Action<CompareProgress> report) : IProgress<CompareProgress>
    {
        private readonly Lock _gate = new();
        private DateTimeOffset _last = DateTimeOffset.MinValue;

        public void Report(CompareProgress value)
        {
            lock (_gate)
            {
                var now = clock.GetUtcNow();
                if (value.Compared == value.Total || now - _last < every)
                {
                    return; // the final state is the summary itself
                }

                _last = now;
            }

            report(value);
        }
    }
}
