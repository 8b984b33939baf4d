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
    ChatDelivery delivery,
    ReleaseService releases,
    IReleaseCatalog catalog,
    DashboardLinks links,
    IGrainFactory grains,
    TimeProvider clock,
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
                    await CreateReleaseAsync(post.ChannelId, thread, create, ChatActor(post, sender), cancellationToken);
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
                    var answer = release is null
                        ? $"There is no release {ChatMarkdown.Code(status.ReleaseId)}."
                        : ChatMessages.Status(release, links, await delivery.UsernamesAsync(ChatMessages.PeopleIn(release)));
                    await client.CreatePostAsync(post.ChannelId, answer, thread, cancellationToken: cancellationToken);
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
    /// Who asked in chat: the Mattermost username people read, and the Mattermost user id as the
    /// stable id (<c>mattermost:&lt;user id&gt;</c>). No roles: chat can create releases, never approve.
    /// </summary>
    private static Actor ChatActor(MattermostPost post, string username) =>
        new(username, [], string.IsNullOrEmpty(post.UserId) ? null : $"mattermost:{post.UserId}");

    /// <summary>
    /// Replies "comparing…" at once, edits that reply with progress, and turns it into the
    /// release's summary post (or into the reason it could not be created).
    /// </summary>
    private async Task CreateReleaseAsync(string channelId, string thread, ChatCommand.CreateRelease create, Actor sender, CancellationToken cancellationToken)
    {
        var reply = await client.CreatePostAsync(channelId, ChatMessages.Comparing(create.Source, create.Dest), thread, cancellationToken: cancellationToken);
        var progress = new ThrottledProgress(clock, ProgressEvery, value =>
            _ = client.EditPostAsync(reply.Id, ChatMessages.Comparing(create.Source, create.Dest, value.Compared, value.Total), CancellationToken.None));
        try
        {
            var spec = new NewRelease(create.Source, create.Dest, ChatChannelId: channelId, ChatPostId: reply.Id);
            var release = await releases.CreateAsync(spec, sender, progress, cancellationToken);
            var usernames = await delivery.UsernamesAsync(ChatMessages.PeopleIn(release));
            // The release may have moved its summary already (an edit refused): write where it says.
            var grain = grains.GetGrain<IReleaseGrain>(release.Id);
            var link = await grain.GetChatLink() ?? new ChatLink(channelId, reply.Id);
            await delivery.WriteSummaryAsync(grain, link, ChatMessages.Summary(release, links, usernames), thread);
        }
        catch (ReleaseRuleException refused)
        {
            var text = ChatMessages.Failed($"Creating the release {ChatMessages.Branches(create.Source, create.Dest)}", refused.Message);
            try
            {
                await client.EditPostAsync(reply.Id, text, cancellationToken);
            }
            catch (MattermostEditRefusedException)
            {
                await client.CreatePostAsync(channelId, text, thread, cancellationToken: cancellationToken);
            }
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
