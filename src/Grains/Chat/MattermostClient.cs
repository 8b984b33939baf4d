using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansReleases.Grains.Chat;

/// <summary>
/// Mattermost's REST API v4, the calls the bot makes. The HttpClient comes from the factory with
/// the bot token and a resilience pipeline (429 Retry-After honoured); see ChatSetup.
/// </summary>
public sealed class MattermostClient(HttpClient http)
{
    /// <summary>The post property that marks a notice post with its outbox key.</summary>
    public const string NoticeKeyProp = "orleans_releases_notice";

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public async Task<MattermostUser> GetMeAsync(CancellationToken cancellationToken = default) =>
        (await http.GetFromJsonAsync<MattermostUser>("api/v4/users/me", Json, cancellationToken))!;

    public async Task<MattermostPost> CreatePostAsync(string channelId, string message, string? rootId = null,
        IReadOnlyDictionary<string, string>? props = null, CancellationToken cancellationToken = default)
    {
        var body = new { channel_id = channelId, message, root_id = rootId, props };
        using var response = await http.PostAsJsonAsync("api/v4/posts", body, Json, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<MattermostPost>(Json, cancellationToken))!;
    }

    /// <summary>
    /// Edits a post's message. Throws <see cref="MattermostEditRefusedException"/> when the server
    /// will not have it edited: past its post edit time limit, or the post is gone.
    /// </summary>
    public async Task<MattermostPost> EditPostAsync(string postId, string message, CancellationToken cancellationToken = default)
    {
        using var response = await http.PutAsJsonAsync($"api/v4/posts/{Uri.EscapeDataString(postId)}/patch", new { message }, Json, cancellationToken);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            var error = await ReadErrorIdAsync(response, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound || error == EditTimeLimitError)
            {
                throw new MattermostEditRefusedException(postId, error ?? $"{(int)response.StatusCode}");
            }
        }

        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<MattermostPost>(Json, cancellationToken))!;
    }

    /// <summary>The error id Mattermost answers (400) when a post is older than its edit time limit.</summary>
    public const string EditTimeLimitError = "api.post.update_post.permissions_time_limit.app_error";

    /// <summary>A user by id (<c>GET /api/v4/users/{id}</c>); null when there is none.</summary>
    public Task<MattermostUser?> GetUserAsync(string userId, CancellationToken cancellationToken = default) =>
        GetUserOrNullAsync($"api/v4/users/{Uri.EscapeDataString(userId)}", cancellationToken);

    /// <summary>A user by username (<c>GET /api/v4/users/username/{name}</c>); null when there is none.</summary>
    public Task<MattermostUser?> GetUserByUsernameAsync(string username, CancellationToken cancellationToken = default) =>
        GetUserOrNullAsync($"api/v4/users/username/{Uri.EscapeDataString(username)}", cancellationToken);

    /// <summary>The channels the bot is a member of, in every team (<c>GET /api/v4/users/me/channels</c>).</summary>
    public async Task<IReadOnlyList<string>> GetMyChannelIdsAsync(CancellationToken cancellationToken = default)
    {
        var channels = await http.GetFromJsonAsync<List<MattermostChannel>>("api/v4/users/me/channels", Json, cancellationToken);
        return channels?.Where(c => c.DeleteAt == 0).Select(c => c.Id).ToList() ?? [];
    }

    private async Task<MattermostUser?> GetUserOrNullAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
        {
            return null; // 400: not a valid id or username at all
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<MattermostUser>(Json, cancellationToken);
    }

    private static async Task<string?> ReadErrorIdAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            return body.RootElement.TryGetProperty("id", out var id) ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record MattermostChannel
    {
        [JsonPropertyName("id")] public string Id { get; init; } = "";
        [JsonPropertyName("delete_at")] public long DeleteAt { get; init; }
    }

    /// <summary>The channel's posts created or changed since <paramref name="since"/>.</summary>
    public async Task<IReadOnlyList<MattermostPost>> GetPostsSinceAsync(string channelId, DateTime since, CancellationToken cancellationToken = default)
    {
        var millis = new DateTimeOffset(since.ToUniversalTime()).ToUnixTimeMilliseconds();
        var list = await http.GetFromJsonAsync<PostList>($"api/v4/channels/{Uri.EscapeDataString(channelId)}/posts?since={millis}", Json, cancellationToken);
        return list?.Posts?.Values.ToList() ?? [];
    }

    private sealed record PostList
    {
        [JsonPropertyName("order")] public List<string>? Order { get; init; }
        [JsonPropertyName("posts")] public Dictionary<string, MattermostPost>? Posts { get; init; }
    }
}

/// <summary>Mattermost will not edit the post (past the server's post edit time limit, or the post is gone): post anew.</summary>
public sealed class MattermostEditRefusedException(string postId, string reason)
    : Exception($"Mattermost refused to edit post {postId} ({reason}).")
{
    public string PostId { get; } = postId;
}
