using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OrleansReleases.Grains.Releases;

namespace OrleansReleases.Grains.Chat;

/// <summary>
/// Sends what the bot owes the channels, one run at a time, on the silo where the bot grain lives:
/// outbox notices, each exactly once, and the latest state of each changed release into its
/// summary post (bursts of changes coalesce into one edit). A summary Mattermost will not edit
/// (past its post edit time limit) is posted anew and the release remembers the new post. A notice
/// that cannot be delivered is tried again with a growing delay and given up after
/// <see cref="MaxAttempts"/> (logged, and counted on <c>/readyz</c>); so is a summary.
/// </summary>
public sealed class ChatDelivery(
    MattermostClient client,
    MattermostDirectory directory,
    IChatOutbox outbox,
    IGrainFactory grains,
    DashboardLinks links,
    TimeProvider clock,
    ILogger<ChatDelivery> logger)
{
    /// <summary>Deliveries tried before a notice or a summary is given up.</summary>
    public const int MaxAttempts = 8;

    /// <summary>The first delay after a failure; it doubles each time (1 s, 2 s, 4 s … at most <see cref="MaxRetryDelay"/>).</summary>
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, ReleaseView> _changed = new();
    private readonly ConcurrentDictionary<string, (int Attempts, DateTimeOffset NotBefore)> _summaryFailures = new();
    private readonly ConcurrentDictionary<string, (string PostId, string Text)> _written = new();
    private int _running;

    public static TimeSpan RetryDelay(int attempts) =>
        TimeSpan.FromTicks(Math.Min(FirstRetryDelay.Ticks * (1L << Math.Min(attempts - 1, 20)), MaxRetryDelay.Ticks));

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
        foreach (var notice in await outbox.PendingAsync(max: 50, clock.GetUtcNow().UtcDateTime))
        {
            try
            {
                await DeliverAsync(notice);
            }
            catch (Exception ex)
            {
                var attempts = notice.FailedAttempts + 1;
                var error = ex is HttpRequestException { StatusCode: { } status } ? $"{(int)status} {ex.Message}" : ex.Message;
                var now = clock.GetUtcNow().UtcDateTime;
                if (attempts >= MaxAttempts)
                {
                    logger.LogError(ex, "Gave up the chat notice {Key} ({Kind}) after {Attempts} attempts: {Error}", notice.Key, notice.Kind, attempts, error);
                    await outbox.MarkFailedAsync(notice, attempts, null, error, now);
                }
                else
                {
                    var delay = RetryDelay(attempts);
                    logger.LogWarning("Could not deliver the chat notice {Key} (attempt {Attempts}: {Error}); trying again in {Delay}", notice.Key, attempts, error, delay);
                    await outbox.MarkFailedAsync(notice, attempts, now + delay, error, now);
                }
            }
        }
    }

    private async Task DeliverAsync(OutboxNotice notice)
    {
        if (notice.AttemptedAt is { } attempted)
        {
            var posts = await client.GetPostsSinceAsync(notice.ChannelId, attempted.AddMinutes(-1));
            var earlier = posts.FirstOrDefault(p => p.Props?.TryGetValue(MattermostClient.NoticeKeyProp, out var key) == true
                && key?.ToString() == notice.Key);
            if (earlier is not null)
            {
                await outbox.MarkDeliveredAsync(notice, earlier.Id, clock.GetUtcNow().UtcDateTime);
                return;
            }
        }

        var release = await grains.GetGrain<IReleaseGrain>(notice.ReleaseId).Get();
        if (release is null)
        {
            return;
        }

        var usernames = await UsernamesAsync(ChatMessages.PeopleIn(release, notice));
        await outbox.MarkAttemptedAsync(notice, clock.GetUtcNow().UtcDateTime);
        var post = await client.CreatePostAsync(notice.ChannelId, ChatMessages.Notice(notice, release, links, usernames),
            props: new Dictionary<string, string> { [MattermostClient.NoticeKeyProp] = notice.Key });
        await outbox.MarkDeliveredAsync(notice, post.Id, clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>Which of <paramref name="names"/> are Mattermost usernames (cached look-ups).</summary>
    public async Task<IReadOnlySet<string>> UsernamesAsync(IEnumerable<string> names)
    {
        var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names.Select(n => n.TrimStart('@')).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (await directory.IsUsernameAsync(name))
            {
                found.Add(name);
            }
        }

        return found;
    }

    /// <summary>
    /// Puts <paramref name="text"/> into the release's summary post: an edit, or a new post (remembered
    /// by the release) when there is none yet or Mattermost will not edit the old one any more.
    /// </summary>
    public async Task WriteSummaryAsync(IReleaseGrain grain, ChatLink link, string text, string? rootId = null)
    {
        var releaseId = grain.GetPrimaryKeyString();
        if (link.PostId is not null)
        {
            lock (_written)
            {
                if (_written.TryGetValue(releaseId, out var written) && written == (link.PostId, text))
                {
                    return; // the post says this already, or is being told so (linking a new post is itself a change)
                }

                _written[releaseId] = (link.PostId, text);
            }

            try
            {
                await client.EditPostAsync(link.PostId, text);
                return;
            }
            catch (MattermostEditRefusedException refused)
            {
                logger.LogInformation("{Reason}; posting the summary anew", refused.Message);
            }
            catch
            {
                _written.TryRemove(new KeyValuePair<string, (string, string)>(releaseId, (link.PostId, text)));
                throw;
            }
        }

        var post = await client.CreatePostAsync(link.ChannelId, text, rootId);
        _written[releaseId] = (post.Id, text);
        await grain.SetChatPost(link.ChannelId, post.Id);
    }

    private async Task UpdateSummariesAsync()
    {
        foreach (var id in _changed.Keys.ToList())
        {
            if (!_changed.TryRemove(id, out var release))
            {
                continue;
            }

            if (_summaryFailures.TryGetValue(id, out var failed) && failed.NotBefore > clock.GetUtcNow())
            {
                Enqueue(release); // not yet: it failed recently
                continue;
            }

            try
            {
                var grain = grains.GetGrain<IReleaseGrain>(id);
                if (await grain.GetChatLink() is not { } link)
                {
                    continue; // no channel: chat does not hear of this release
                }

                var usernames = await UsernamesAsync(ChatMessages.PeopleIn(release));
                await WriteSummaryAsync(grain, link, ChatMessages.Summary(release, links, usernames));
                _summaryFailures.TryRemove(id, out _);
            }
            catch (Exception ex)
            {
                var attempts = (_summaryFailures.TryGetValue(id, out var before) ? before.Attempts : 0) + 1;
                if (attempts >= MaxAttempts)
                {
                    _summaryFailures.TryRemove(id, out _);
                    logger.LogError(ex, "Gave up updating the chat summary of release {ReleaseId} after {Attempts} attempts", id, attempts);
                    continue; // the next change of the release tries again
                }

                var delay = RetryDelay(attempts);
                _summaryFailures[id] = (attempts, clock.GetUtcNow() + delay);
                logger.LogWarning(ex, "Could not update the chat summary of release {ReleaseId} (attempt {Attempts}); trying again in {Delay}", id, attempts, delay);
                Enqueue(release); // unless a newer state arrived meanwhile
            }
        }
    }
}
