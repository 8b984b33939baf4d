namespace OrleansReleases.Grains.Chat;

/// <summary>Settings under <c>Mattermost</c>. Without <see cref="Url"/> and <see cref="Token"/> there is no bot, and nothing else changes.</summary>
public sealed class MattermostOptions
{
    public const string Section = "Mattermost";

    /// <summary>The Mattermost server, e.g. <c>https://chat.example.com</c>.</summary>
    public string? Url { get; set; }

    /// <summary>The bot account's access token. Never logged.</summary>
    public string? Token { get; set; }

    /// <summary>The name people mention (<c>@pusheen</c>); defaults to the bot account's username.</summary>
    public string? BotName { get; set; }

    /// <summary>The channel id that hears about releases created outside chat (the dashboard, the API).</summary>
    public string? DefaultChannel { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Url) && !string.IsNullOrWhiteSpace(Token);
}
