using System.Text.Json.Serialization;

namespace OrleansReleases.Grains.Chat;

/// <summary>A post as Mattermost's API v4 shapes it (the fields the bot uses).</summary>
public sealed record MattermostPost
{
    [JsonPropertyName("id")] public string Id { get; init; } = "";
    [JsonPropertyName("channel_id")] public string ChannelId { get; init; } = "";
    [JsonPropertyName("user_id")] public string UserId { get; init; } = "";
    [JsonPropertyName("root_id")] public string? RootId { get; init; }
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("message")] public string Message { get; init; } = "";
    [JsonPropertyName("create_at")] public long CreateAt { get; init; }
    [JsonPropertyName("props")] public Dictionary<string, object?>? Props { get; init; }
}

/// <summary>The bot's own account (<c>GET /api/v4/users/me</c>).</summary>
public sealed record MattermostUser
{
    [JsonPropertyName("id")] public string Id { get; init; } = "";
    [JsonPropertyName("username")] public string Username { get; init; } = "";
}
