using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansReleases.Grains.Chat;

/// <summary>
/// This silo's WebSocket to Mattermost (API v4): authenticates with the bot token, waits for
/// <c>hello</c>, and hands every <c>posted</c> message that mentions the bot to the handler once
/// the bot grain says this silo answers it. Reconnects with backoff after any drop.
/// </summary>
public sealed class MattermostListener(
    IOptions<MattermostOptions> options,
    MattermostClient client,
    ChatCommandHandler handler,
    IGrainFactory grains,
    ILogger<MattermostListener> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await grains.GetGrain<IChatBotGrain>(IChatBotGrain.Key).Start();
                if (await ListenAsync(stoppingToken))
                {
                    retry = FirstRetry; // the connection worked; a new drop starts the backoff again
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The message only: exceptions here never carry the token, but headers could.
                logger.LogWarning("Mattermost connection failed ({Error}); reconnecting in {Delay}", ex.Message, retry);
            }

            await Task.Delay(retry + TimeSpan.FromMilliseconds(Random.Shared.Next(250)), stoppingToken);
            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LongestRetry.Ticks));
        }
    }

    /// <summary>One connection, until it drops. Returns whether Mattermost said hello.</summary>
    private async Task<bool> ListenAsync(CancellationToken stoppingToken)
    {
        var me = await client.GetMeAsync(stoppingToken);
        var botName = string.IsNullOrWhiteSpace(options.Value.BotName) ? me.Username : options.Value.BotName.TrimStart('@');

        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(SocketUri(options.Value.Url!), stoppingToken);
        await SendAsync(socket, new { seq = 1, action = "authentication_challenge", data = new { token = options.Value.Token } }, stoppingToken);

        var greeted = false;
        while (socket.State == WebSocketState.Open)
        {
            var text = await ReceiveAsync(socket, stoppingToken);
            if (text is null)
            {
                break;
            }

            using var message = JsonDocument.Parse(text);
            var root = message.RootElement;
            if (root.TryGetProperty("seq_reply", out _) && root.TryGetProperty("status", out var status) && status.GetString() != "OK")
            {
                throw new InvalidOperationException("Mattermost refused the bot token.");
            }

            switch (root.TryGetProperty("event", out var name) ? name.GetString() : null)
            {
                case "hello":
                    greeted = true;
                    logger.LogInformation("Connected to Mattermost as @{BotName}", botName);
                    break;
                case "posted":
                    await OnPostedAsync(root.GetProperty("data"), me, botName, stoppingToken);
                    break;
            }
        }

        return greeted;
    }

    private async Task OnPostedAsync(JsonElement data, MattermostUser me, string botName, CancellationToken stoppingToken)
    {
        // data.post is itself a JSON document inside a string.
        var post = JsonSerializer.Deserialize<MattermostPost>(data.GetProperty("post").GetString() ?? "{}");
        if (post is null || post.UserId == me.Id || ChatCommand.Parse(post.Message, botName) is null)
        {
            return;
        }

        if (!await grains.GetGrain<IChatBotGrain>(IChatBotGrain.Key).ClaimMessage(post.Id))
        {
            return; // another silo answers this one
        }

        var sender = data.TryGetProperty("sender_name", out var name) ? name.GetString()?.TrimStart('@') : null;
        _ = handler.HandleAsync(post, sender ?? post.UserId, botName, stoppingToken);
    }

    private static Uri SocketUri(string url)
    {
        var builder = new UriBuilder(new Uri(new Uri(url.TrimEnd('/') + "/"), "api/v4/websocket"));
        builder.Scheme = builder.Scheme == "https" ? "wss" : "ws";
        return builder.Uri;
    }

    private static Task SendAsync(ClientWebSocket socket, object message, CancellationToken cancellationToken) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    private static async Task<string?> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            }
        }
    }
}
