using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansReleases.Grains.Chat;

/// <summary>
/// This silo's WebSocket to Mattermost (API v4), as Mattermost's own client keeps it: authenticates
/// with the bot token, remembers the <c>connection_id</c> of <c>hello</c> and the sequence number
/// of every event, and reconnects with both so the server replays what was missed. When the
/// server cannot (a <c>hello</c> with another connection id) or an event is missing, the posts
/// made since the last event seen are read from the bot's channels instead. Every <c>posted</c>
/// message that mentions the bot goes to the handler once the bot grain says this silo answers it
/// (the claim by post id also keeps a message seen twice from being answered twice).
/// </summary>
public sealed class MattermostListener(
    IOptions<MattermostOptions> options,
    MattermostClient client,
    MattermostDirectory directory,
    ChatCommandHandler handler,
    IGrainFactory grains,
    TimeProvider clock,
    ILogger<MattermostListener> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);

    /// <summary>After a refused token nothing changes until someone fixes it: ask rarely.</summary>
    private static readonly TimeSpan LongestRetryRefused = TimeSpan.FromMinutes(5);

    /// <summary>How far before the last event seen a catch-up reads (clocks differ; claims drop repeats).</summary>
    private static readonly TimeSpan CatchUpMargin = TimeSpan.FromMinutes(2);

    private string _connectionId = "";
    private long _nextSequence;

    /// <summary>
    /// When the bot last heard an event; before its first, once a socket has ended, when that
    /// socket was opened. A hello while this is set reads the posts since then from the channels.
    /// </summary>
    private DateTimeOffset? _lastEventAt;
    private bool _refusalLogged;

    private enum Ended { Dropped, Accepted, Resync }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            var longest = LongestRetry;
            try
            {
                await grains.GetGrain<IChatBotGrain>(IChatBotGrain.Key).Start();
                var ended = await ListenAsync(stoppingToken);
                if (ended == Ended.Resync)
                {
                    continue; // reconnect at once, asking for the missed events
                }

                if (ended == Ended.Accepted)
                {
                    // The server took the socket, so token and network work: a new drop starts the
                    // backoff again. (This waited for an event: a resume with nothing to replay
                    // that dropped again kept doubling the delay, past a waiting user's patience.)
                    retry = FirstRetry;
                    _refusalLogged = false;
                }
            }
            catch (TokenRefusedException) when (!stoppingToken.IsCancellationRequested)
            {
                longest = LongestRetryRefused;
                if (!_refusalLogged)
                {
                    _refusalLogged = true;
                    logger.LogError("Mattermost refused the token (Mattermost:Token): the bot cannot connect; trying again with a growing delay, up to every {Longest}",
                        LongestRetryRefused);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The message only: exceptions here never carry the token, but headers could.
                logger.LogWarning("Mattermost connection failed ({Error}); reconnecting in {Delay}", ex.Message, retry);
            }

            await Task.Delay(retry + TimeSpan.FromMilliseconds(Random.Shared.Next(250)), clock, stoppingToken);
            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, longest.Ticks));
        }
    }

    /// <summary>One connection, until it drops.</summary>
    private async Task<Ended> ListenAsync(CancellationToken stoppingToken)
    {
        MattermostUser me;
        try
        {
            me = await client.GetMeAsync(stoppingToken);
        }
        catch (HttpRequestException ex) when (ex.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw new TokenRefusedException();
        }

        var botName = string.IsNullOrWhiteSpace(options.Value.BotName) ? me.Username : options.Value.BotName.TrimStart('@');

        using var socket = new ClientWebSocket();
        var openedAt = clock.GetUtcNow();
        await socket.ConnectAsync(SocketUri(options.Value.Url!, _connectionId, _nextSequence), stoppingToken);
        try
        {
            await SendAsync(socket, new { seq = 1, action = "authentication_challenge", data = new { token = options.Value.Token } }, stoppingToken);

            var accepted = false;
            while (socket.State == WebSocketState.Open)
            {
                string? text;
                try
                {
                    text = await ReceiveAsync(socket, stoppingToken);
                }
                catch (WebSocketException)
                {
                    text = null; // dropped without a close frame
                }

                if (text is null)
                {
                    // Mattermost answers a wrong token by closing the socket, not with a FAIL; but
                    // /users/me has just taken this token, so a close before any answer is a drop (a
                    // network fault, a restarting server). The next attempt's /users/me tells a
                    // token revoked meanwhile apart.
                    return accepted ? Ended.Accepted : throw new IOException("Mattermost closed the socket before answering its authentication");
                }

                using var message = JsonDocument.Parse(text);
                var root = message.RootElement;
                if (root.TryGetProperty("seq_reply", out _))
                {
                    if (root.TryGetProperty("status", out var status) && status.GetString() != "OK")
                    {
                        throw new TokenRefusedException();
                    }

                    accepted = true;
                    continue;
                }

                if (!root.TryGetProperty("event", out var name))
                {
                    continue;
                }

                accepted = true;
                var lastEventAt = _lastEventAt;
                var catchUp = false;
                if (name.GetString() == "hello")
                {
                    var connectionId = root.GetProperty("data").TryGetProperty("connection_id", out var id) ? id.GetString() ?? "" : "";
                    // A hello on a reconnect means the server started a new connection: what it sent
                    // the old one meanwhile is lost, so read it from the channels.
                    catchUp = lastEventAt is not null;
                    _connectionId = connectionId;
                    _nextSequence = 0;
                }

                var seq = root.TryGetProperty("seq", out var s) && s.TryGetInt64(out var n) ? n : _nextSequence;
                if (seq != _nextSequence)
                {
                    // An event is missing: reconnect with the sequence wanted, as the official client does.
                    logger.LogInformation("Mattermost event {Got} arrived where {Wanted} was due; reconnecting to resume", seq, _nextSequence);
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "sequence gap", CancellationToken.None);
                    return Ended.Resync;
                }

                _nextSequence = seq + 1;
                _lastEventAt = clock.GetUtcNow();
                switch (name.GetString())
                {
                    case "hello":
                        logger.LogInformation("Connected to Mattermost as @{BotName}", botName);
                        if (catchUp)
                        {
                            await CatchUpAsync(lastEventAt!.Value - CatchUpMargin, me, botName, stoppingToken);
                        }

                        break;
                    case "posted":
                        await OnPostedAsync(root.GetProperty("data"), me, botName, stoppingToken);
                        break;
                }
            }

            return accepted ? Ended.Accepted : Ended.Dropped;
        }
        finally
        {
            // A socket that ends before its first event (its hello) may still have been a
            // connection on the server, which queued the posts made meanwhile. The bot never
            // learnt its id, so the next socket is a new connection: its hello must read those
            // posts from the channels. Without this, a first socket dropped that early (a busy
            // machine) lost every command posted until the reconnect.
            _lastEventAt ??= openedAt;
        }
    }

    /// <summary>Answers the commands posted in the bot's channels since <paramref name="since"/> (each once: the claim).</summary>
    private async Task CatchUpAsync(DateTimeOffset since, MattermostUser me, string botName, CancellationToken stoppingToken)
    {
        try
        {
            var answered = 0;
            foreach (var channelId in await client.GetMyChannelIdsAsync(stoppingToken))
            {
                var posts = await client.GetPostsSinceAsync(channelId, since.UtcDateTime, stoppingToken);
                foreach (var post in posts.Where(p => p.CreateAt >= since.ToUnixTimeMilliseconds()).OrderBy(p => p.CreateAt))
                {
                    if (await AnswerAsync(post, mentions: null, me, botName, stoppingToken))
                    {
                        answered++;
                    }
                }
            }

            logger.LogInformation("Caught up with Mattermost since {Since}: {Answered} missed commands answered", since, answered);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning("Could not catch up with the posts missed while disconnected from Mattermost ({Error})", ex.Message);
        }
    }

    private async Task OnPostedAsync(JsonElement data, MattermostUser me, string botName, CancellationToken stoppingToken)
    {
        // data.post, and data.mentions when present, are JSON documents inside strings.
        var post = JsonSerializer.Deserialize<MattermostPost>(data.GetProperty("post").GetString() ?? "{}");
        IReadOnlyList<string>? mentions = data.TryGetProperty("mentions", out var listed) && listed.ValueKind == JsonValueKind.String
            ? JsonSerializer.Deserialize<List<string>>(listed.GetString() ?? "[]")
            : null;
        if (post is not null)
        {
            await AnswerAsync(post, mentions, me, botName, stoppingToken);
        }
    }

    /// <summary>Hands the post to the handler if it is a command for the bot and this silo claims it.</summary>
    private async Task<bool> AnswerAsync(MattermostPost post, IReadOnlyList<string>? mentions, MattermostUser me, string botName,
        CancellationToken stoppingToken)
    {
        if (post.UserId == me.Id || !string.IsNullOrEmpty(post.Type))
        {
            return false; // the bot's own posts, and system messages
        }

        // The server's list of who it notified is the authority when it sends one for the bot's own name.
        var serverDecides = mentions is not null && string.Equals(botName, me.Username, StringComparison.OrdinalIgnoreCase);
        if ((serverDecides && !mentions!.Contains(me.Id)) || ChatCommand.Parse(post.Message, botName) is null)
        {
            return false;
        }

        if (!await grains.GetGrain<IChatBotGrain>(IChatBotGrain.Key).ClaimMessage(post.Id))
        {
            return false; // another silo answers this one, or it was answered already
        }

        // Who asked: the account that posted (user_id), never sender_name, which webhooks can set.
        var sender = await directory.UserAsync(post.UserId, stoppingToken);
        _ = handler.HandleAsync(post, sender?.Username ?? post.UserId, botName, stoppingToken);
        return true;
    }

    private static Uri SocketUri(string url, string connectionId, long sequence)
    {
        var builder = new UriBuilder(new Uri(new Uri(url.TrimEnd('/') + "/"), "api/v4/websocket"));
        builder.Scheme = builder.Scheme == "https" ? "wss" : "ws";
        if (connectionId.Length > 0)
        {
            builder.Query = $"connection_id={Uri.EscapeDataString(connectionId)}&sequence_number={sequence}";
        }

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

    private sealed class TokenRefusedException() : Exception("Mattermost refused the token.");
}
