using System.Collections.Concurrent;

namespace OrleansReleases.Grains.Chat;

/// <summary>
/// Mattermost's users as the bot needs them, cached for a while: who posted a message (by the
/// post's <c>user_id</c>, never the display name a webhook can set) and whether a name is a
/// username (so the bot writes <c>@name</c> only for a real account).
/// </summary>
public sealed class MattermostDirectory(MattermostClient client, TimeProvider clock)
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, (MattermostUser? User, DateTimeOffset At)> _byId = new();
    private readonly ConcurrentDictionary<string, (MattermostUser? User, DateTimeOffset At)> _byName = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The user with this id, or null if Mattermost has none.</summary>
    public Task<MattermostUser?> UserAsync(string userId, CancellationToken cancellationToken = default) =>
        CachedAsync(_byId, userId, () => client.GetUserAsync(userId, cancellationToken));

    /// <summary>Whether <paramref name="name"/> is the username of a Mattermost account.</summary>
    public async Task<bool> IsUsernameAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!ChatMarkdown.CouldBeUsername(name))
        {
            return false;
        }

        var user = await CachedAsync(_byName, name, () => client.GetUserByUsernameAsync(name, cancellationToken));
        return user is not null && string.Equals(user.Username, name, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<MattermostUser?> CachedAsync(ConcurrentDictionary<string, (MattermostUser? User, DateTimeOffset At)> cache, string key,
        Func<Task<MattermostUser?>> fetch)
    {
        var now = clock.GetUtcNow();
        if (cache.TryGetValue(key, out var known) && now - known.At < KeepFor)
        {
            return known.User;
        }

        var user = await fetch();
        cache[key] = (user, now);
        if (user is not null)
        {
            _byId[user.Id] = (user, now);
        }

        return user;
    }
}
