using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OrleansReleases.Grains.Releases;

namespace OrleansReleases.Grains.Chat;

/// <summary>
/// Sends what the bot owes the channels, one run at a time, on the silo where the bot grain lives:
/// outbox notices, each exactly once, and the latest state of each changed release into its
/// summary post (bursts of changes coalesce into one edit).
/// </summary>
public sealed class ChatDelivery(
    MattermostClient client,
    IChatOutbox outbox,
    IGrainFactory grains,
    DashboardLinks links,
    TimeProvider clock,
    ILogger<ChatDelivery> logger)
{
    private readonly ConcurrentDictionary<string, ReleaseView> _changed = new();
    private int _running;

    public void Enqueue(ReleaseView release) =>
        _changed.AddOrUpdate(release.Id, release, (_, known) => known.Version >= release.Version ? known : release);

    /// <summary>Starts a run unless one is under way (the next tick picks up whatever arrives meanwhile).</summary>
    public void Kick()
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await DeliverNoticesAsync();
                await UpdateSummariesAsync();
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Chat delivery failed; it is tried again shortly");
            }
            finally
            {
                Volatile.Write(ref _running, 0);
            }
        });
    }

    /// <summary>
    /// Exactly once: a notice is marked attempted before its post and delivered after it. A notice
    /// found attempted (the process died in between) is first looked for in the channel, by the
    /// key stamped on the post, and posted only if it is not there.
    /// </summary>
    private async Task DeliverNoticesAsync()
    {
        foreach (var notice in await outbox.PendingAsync(max: 50))
        {
            if (notice.AttemptedAt is { } attempted)
            {
                var posts = await client.GetPostsSinceAsync(notice.ChannelId, attempted.AddMinutes(-1));
                var earlier = posts.FirstOrDefault(p => p.Props?.TryGetValue(MattermostClient.NoticeKeyProp, out var key) == true
                    && key?.ToString() == notice.Key);
                if (earlier is not null)
                {
                    await outbox.MarkDeliveredAsync(notice, earlier.Id, clock.GetUtcNow().UtcDateTime);
                    continue;
                }
            }

            var release = await grains.GetGrain<IReleaseGrain>(notice.ReleaseId).Get();
            if (release is null)
            {
                continue;
            }

            await outbox.MarkAttemptedAsync(notice, clock.GetUtcNow().UtcDateTime);
            var post = await client.CreatePostAsync(notice.ChannelId, ChatMessages.Notice(notice, release, links),
                props: new Dictionary<string, string> { [MattermostClient.NoticeKeyProp] = notice.Key });
            await outbox.MarkDeliveredAsync(notice, post.Id, clock.GetUtcNow().UtcDateTime);
        }
    }

    private async Task UpdateSummariesAsync()
    {
        foreach (var id in _changed.Keys.ToList())
        {
            if (!_changed.TryRemove(id, out var release))
            {
                continue;
            }

            try
            {
                var grain = grains.GetGrain<IReleaseGrain>(id);
                if (await grain.GetChatLink() is not { } link)
                {
                    continue; // no channel: chat does not hear of this release
                }

                var text = ChatMessages.Summary(release, links);
                if (link.PostId is null)
                {
                    var post = await client.CreatePostAsync(link.ChannelId, text);
                    await grain.SetChatPost(link.ChannelId, post.Id);
                }
                else
                {
                    await client.EditPostAsync(link.PostId, text);
                }
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Could not update the chat summary of release {ReleaseId}; trying again shortly", id);
                Enqueue(release); // unless a newer state arrived meanwhile
            }
        }
    }
}
