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

    public async Task<MattermostPost> EditPostAsync(string postId, string message, CancellationToken cancellationToken = default)
    {
        using var response = await http.PutAsJsonAsync($"api/v4/posts/{Uri.EscapeDataString(postId)}/patch", new { message }, Json, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<MattermostPost>(Json, cancellationToken))!;
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
