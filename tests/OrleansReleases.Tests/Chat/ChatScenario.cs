using OrleansReleases.Fakes;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using OrleansReleases.Tests.Support;

namespace OrleansReleases.Tests.Chat;

/// <summary>The real service with its bot connected to a fake Mattermost, over two real git repositories.</summary>
public sealed class ChatScenario : IAsyncDisposable
{
    public const string Channel = "releases-channel-id";
    public const string DefaultChannel = "default-channel-id";

    private ChatScenario(TempFolder folder, FakeMattermost chat, string repos)
    {
        Folder = folder;
        Chat = chat;
        Repos = repos;
    }

    public TempFolder Folder { get; }

    public FakeMattermost Chat { get; }

    public string Repos { get; }

    public ServiceHost Host { get; private set; } = null!;

    public string DatabasePath => Path.Combine(Folder.PathOf("data"), "releases.db");

    /// <summary>The bot's token in the service's settings.</summary>
    public string Token { get; private init; } = FakeMattermost.Token;

    /// <summary>
    /// Starts the service and waits for the bot to connect, unless its <paramref name="token"/> is
    /// wrong or <paramref name="prepare"/> set the fake up before the service started (the test waits then).
    /// </summary>
    public static async Task<ChatScenario> StartAsync(string token = FakeMattermost.Token, Microsoft.Extensions.Logging.ILoggerProvider? logs = null,
        Action<FakeMattermost>? prepare = null)
    {
        var folder = TempFolder.Create();
        var repos = TwoChangedRepos.Create(folder);
        var scenario = new ChatScenario(folder, await FakeMattermost.StartAsync(), repos.Root) { Token = token };
        prepare?.Invoke(scenario.Chat);
        scenario.Host = await ServiceHost.StartAsync(folder.Folder("data"), logs, scenario.Settings());
        if (token == FakeMattermost.Token && prepare is null)
        {
            await scenario.Chat.WaitUntilAsync(c => c.Authentications >= 1, "the bot connects");
        }

        return scenario;
    }

    /// <summary>The settings that point the service at the fake Mattermost and the repos.</summary>
    public string[] Settings() =>
    [
        $"Mattermost:Url={Chat.Url}", $"Mattermost:Token={Token}", $"Mattermost:BotName={FakeMattermost.BotName}",
        $"Mattermost:DefaultChannel={DefaultChannel}", $"Releases:Sources:LocalGit:Root={Repos}",
        "Releases:BaseUrl=https://releases.example.test",
    ];

    /// <summary>Asks the bot for a release and waits for its summary post; returns the release id.</summary>
    public async Task<string> CreateReleaseFromChatAsync()
    {
        var command = await Chat.UserPostsAsync(Channel, "alice", $"@{FakeMattermost.BotName} create-release uat master");
        await Chat.WaitUntilAsync(c => ReplyTo(c, command)?["message"]?.ToString().Contains("View Dashboard") == true, "the summary post");
        var link = ReplyTo(Chat, command)!["message"]!.ToString();
        return link[(link.IndexOf("/releases/", StringComparison.Ordinal) + "/releases/".Length)..].TrimEnd(')', '\n', ' ');
    }

    public static JsonObject? ReplyTo(FakeMattermost chat, string postId) =>
        chat.Posts().FirstOrDefault(p => (string?)p["root_id"] == postId);

    public static int CountPosts(FakeMattermost chat, string text) =>
        chat.Posts().Count(p => p["message"]!.ToString().Contains(text, StringComparison.Ordinal));

    /// <summary>Notices not yet delivered, read straight from the outbox table.</summary>
    public static long UndeliveredNotices(string databasePath)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM chat_outbox WHERE delivered_at IS NULL AND channel_id IS NOT NULL;";
        return (long)command.ExecuteScalar()!;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Chat.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Folder.Dispose();
    }
}
