using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OrleansReleases.Fakes;

/// <summary>
/// A Mattermost server on loopback that speaks the parts of API v4 the bot uses, with the real
/// shapes (checked by tests/contracts/mattermost with Mattermost's official client): REST
/// <c>users/me</c>, users by id and by username, the user's channels, creating and patching posts
/// (with the server's post edit time limit), a channel's posts since a time; and the WebSocket:
/// the authentication challenge (a wrong token closes the socket, as the server does), <c>hello</c>
/// with a <c>connection_id</c>, per-connection sequence numbers, resuming with
/// <c>connection_id</c> and <c>sequence_number</c> from the connection's queue of recent events
/// (or a new connection and a new <c>hello</c> when it cannot), <c>posted</c> events whose
/// <c>data.post</c> is a JSON string and whose <c>data.mentions</c> lists the mentioned user ids,
/// and ping replies. Tests can drop sockets (also one before its hello), hold new ones, forget
/// connections (a server restart), answer 429 with Retry-After, and hold post requests to
/// simulate a crash mid-way.
/// </summary>
public sealed class FakeMattermost : IAsyncDisposable
{
    public const string Token = "bot-token-s3cr3t-value";
    public const string BotUserId = "botuserid00000000000000000";
    public const string BotName = "pusheen";
    public const string TeamId = "team1";

    /// <summary>How many recent events a connection keeps for a resume (the server keeps 128).</summary>
    private const int DeadQueueSize = 128;

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, JsonObject> _posts = new();
    private readonly ConcurrentDictionary<string, Connection> _connections = new();
    private readonly ConcurrentDictionary<string, FakeUser> _users = new();
    private readonly ConcurrentDictionary<string, string> _channels = new();
    private readonly Lock _changed = new();
    private TaskCompletionSource _change = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _tooManyRequests;
    private TaskCompletionSource? _holdPosts;
    private bool _createBeforeHolding;
    private TaskCompletionSource? _holdSockets;
    private int _dropBeforeHello;

    private FakeMattermost(WebApplication app)
    {
        _app = app;
        AddUser(BotUserId, BotName, Token);
        foreach (var name in new[] { "alice", "bob", "carol", "dana", "quinn" })
        {
            AddUser($"user-{name}", name, $"{name}-token");
        }
    }

    public string Url => _app.Urls.First();

    /// <summary>How many requests were refused with 429 so far.</summary>
    public int TooManyRequestsServed;

    /// <summary>How many sockets completed the authentication challenge so far.</summary>
    public int Authentications;

    /// <summary>How many sockets were closed because their token was wrong.</summary>
    public int RefusedAuthentications;

    /// <summary>How many requests and sockets came with a token this server does not know.</summary>
    public int RefusedTokens;

    /// <summary>How many sockets resumed an earlier connection (same connection id, no new hello).</summary>
    public int Resumes;

    /// <summary>How many post requests arrived while posts were held.</summary>
    public int HeldPostRequests;

    /// <summary>How many post edits were refused by the edit time limit.</summary>
    public int RefusedEdits;

    /// <summary>The post edit time limit (<c>ServiceSettings.PostEditTimeLimit</c>); null: edits always allowed.</summary>
    public TimeSpan? PostEditTimeLimit { get; set; }

    /// <summary>Starts on a free loopback port, or on <paramref name="port"/>.</summary>
    public static async Task<FakeMattermost> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeMattermost(app);
        app.UseWebSockets();
        app.Use(fake.RefuseWhenAskedAsync);
        app.MapGet("/api/v4/users/me", (HttpContext c) => fake.Caller(c) is { } me ? Results.Json(UserJson(me)) : Unauthorized());
        app.MapGet("/api/v4/users/me/teams", (HttpContext c) => fake.Caller(c) is null ? Unauthorized()
            : Results.Json(new JsonArray(new JsonObject { ["id"] = TeamId, ["name"] = "team", ["display_name"] = "Team", ["type"] = "O", ["delete_at"] = 0 })));
        app.MapGet("/api/v4/users/me/channels", fake.MyChannels);
        app.MapGet("/api/v4/users/me/teams/{teamId}/channels", (HttpContext c, string teamId) => fake.MyChannels(c));
        app.MapGet("/api/v4/users/username/{username}", (HttpContext c, string username) => fake.Caller(c) is null ? Unauthorized()
            : fake._users.Values.FirstOrDefault(u => u.Username.Equals(username, StringComparison.OrdinalIgnoreCase)) is { } user
                ? Results.Json(UserJson(user)) : MissingUser());
        app.MapGet("/api/v4/users/{id}", (HttpContext c, string id) => fake.Caller(c) is null ? Unauthorized()
            : fake._users.TryGetValue(id, out var user) ? Results.Json(UserJson(user)) : MissingUser());
        app.MapPost("/api/v4/posts", (Delegate)fake.CreatePostAsync);
        app.MapPut("/api/v4/posts/{id}/patch", fake.PatchPostAsync);
        app.MapGet("/api/v4/channels/{channelId}/posts", fake.ChannelPosts);
        app.Map("/api/v4/websocket", fake.WebSocketAsync);

        // Test controls, for the standalone fake (tests/contracts/mattermost); not Mattermost's API.
        app.MapPost("/_fake/drop-sockets", () => { fake.DropSockets(); return Results.NoContent(); });
        app.MapPost("/_fake/forget-connections", () => { fake.ForgetConnections(); return Results.NoContent(); });
        app.MapPost("/_fake/edit-time-limit/{seconds:int}", (int seconds) =>
        {
            fake.PostEditTimeLimit = seconds < 0 ? null : TimeSpan.FromSeconds(seconds);
            return Results.NoContent();
        });
        await app.StartAsync();
        return fake;
    }

    // ---- what tests do ----

    /// <summary>A person (made a user of this server if new) with id <c>user-{name}</c> and token <c>{name}-token</c>.</summary>
    public string AddPerson(string userName) => AddUser($"user-{userName}", userName, $"{userName}-token").Id;

    /// <summary>
    /// A person posts in a channel; every connection hears a <c>posted</c> event. A
    /// <paramref name="senderName"/> overrides the sender's name as webhooks and bots may
    /// (<c>override_username</c>); without <paramref name="withMentions"/> the event carries no
    /// <c>data.mentions</c> (as after a server that does not send them).
    /// </summary>
    public async Task<string> UserPostsAsync(string channelId, string userName, string message, string? senderName = null, bool withMentions = true)
    {
        var userId = AddPerson(userName);
        JsonObject? props = senderName is null ? null : new JsonObject { ["override_username"] = senderName, ["from_webhook"] = "true" };
        var post = NewPost(channelId, userId, message, rootId: null, props);
        await BroadcastPostedAsync(post, senderName ?? $"@{userName}", withMentions);
        return (string)post["id"]!;
    }

    /// <summary>The next <paramref name="count"/> REST requests get 429 with <c>Retry-After: 1</c>.</summary>
    public void AnswerTooManyRequests(int count) => Interlocked.Exchange(ref _tooManyRequests, count);

    /// <summary>Post requests hang until <see cref="ReleasePosts"/>; with <paramref name="createFirst"/> the post is made before hanging.</summary>
    public void HoldPosts(bool createFirst)
    {
        _createBeforeHolding = createFirst;
        _holdPosts = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void ReleasePosts() => _holdPosts?.TrySetResult();

    /// <summary>New WebSocket requests wait until <see cref="ReleaseSockets"/> (the network is down).</summary>
    public void HoldSockets() => _holdSockets = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Lets the held WebSocket requests go on; with <paramref name="holdLater"/> the ones that arrive
    /// after them are held (set before the release, so no reconnect can slip through).
    /// </summary>
    public void ReleaseSockets(bool holdLater = false)
    {
        var held = _holdSockets;
        if (holdLater)
        {
            HoldSockets();
        }

        held?.TrySetResult();
    }

    /// <summary>
    /// The next new connection is made (authenticated, its hello queued as seq 0) and its socket
    /// dropped before anything reaches the client: a network drop right after connecting. The
    /// client never learns the connection id; what is posted meanwhile waits in that connection's queue.
    /// </summary>
    public void DropNextSocketBeforeHello() => Interlocked.Exchange(ref _dropBeforeHello, 1);

    /// <summary>How many WebSocket requests have waited on <see cref="HoldSockets"/> so far.</summary>
    public int HeldSockets;

    /// <summary>Closes every socket abruptly, as a network drop would. The connections stay resumable.</summary>
    public void DropSockets()
    {
        foreach (var connection in _connections.Values)
        {
            connection.Socket?.Abort();
        }
    }

    /// <summary>Forgets every connection and drops its socket, as a restarted server does: the next socket gets a new connection id.</summary>
    public void ForgetConnections()
    {
        foreach (var connection in _connections.Values)
        {
            connection.Socket?.Abort();
        }

        _connections.Clear();
    }

    public IReadOnlyList<JsonObject> Posts(string? channelId = null) =>
        _posts.Values.Where(p => channelId is null || (string?)p["channel_id"] == channelId)
            .OrderBy(p => (long)p["create_at"]!).ThenBy(p => (string)p["id"]!).Select(p => (JsonObject)p.DeepClone()).ToList();

    /// <summary>
    /// Waits (at most 20 s) until <paramref name="condition"/> holds. It is checked after every
    /// change here, and every 100 ms for conditions on other things (such as the service's database).
    /// </summary>
    public async Task WaitUntilAsync(Func<FakeMattermost, bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            Task changed;
            lock (_changed)
            {
                changed = _change.Task;
            }

            if (condition(this))
            {
                return;
            }

            try
            {
                await Task.WhenAny(changed, Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token));
                timeout.Token.ThrowIfCancellationRequested();
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Waited 20 s for: {what}. Posts: {string.Join(" | ", Posts().Select(p => p["message"]))}");
            }
        }
    }

    // ---- the server ----

    private sealed record FakeUser(string Id, string Username, string Token);

    /// <summary>A WebSocket connection as the server keeps it: it outlives its socket, for a resume.</summary>
    private sealed class Connection(string id, string userId)
    {
        public string Id { get; set; } = id;
        public string UserId { get; } = userId;
        public long Sequence { get; set; }
        public List<JsonObject> DeadQueue { get; } = [];
        public WebSocket? Socket { get; set; }
        public SemaphoreSlim Gate { get; } = new(1, 1);
    }

    private FakeUser AddUser(string id, string username, string token) => _users.GetOrAdd(id, _ => new FakeUser(id, username, token));

    private FakeUser? Caller(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        // The scheme is case-insensitive, as on the server: the official client sends "BEARER <token>".
        var user = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? ByToken(header["Bearer ".Length..]) : null;
        if (user is null)
        {
            Interlocked.Increment(ref RefusedTokens);
            Changed();
        }

        return user;
    }

    private FakeUser? ByToken(string? token) => _users.Values.FirstOrDefault(u => u.Token == token);

    private static JsonObject UserJson(FakeUser user) => new()
    {
        ["id"] = user.Id, ["username"] = user.Username, ["first_name"] = "", ["last_name"] = "", ["nickname"] = "",
        ["email"] = $"{user.Username}@example.test", ["roles"] = "system_user", ["locale"] = "en", ["delete_at"] = 0,
        ["is_bot"] = user.Id == BotUserId, ["create_at"] = 0, ["update_at"] = 0,
    };

    private static IResult Unauthorized() => Results.Json(new
    {
        id = "api.context.session_expired.app_error", message = "Invalid or expired session, please login again.",
        detailed_error = "", request_id = "", status_code = 401,
    }, statusCode: StatusCodes.Status401Unauthorized);

    private static IResult MissingUser() => Results.Json(new
    {
        id = "app.user.missing_account.const", message = "Unable to find the user.", detailed_error = "", request_id = "", status_code = 404,
    }, statusCode: StatusCodes.Status404NotFound);

    private void Changed()
    {
        lock (_changed)
        {
            _change.TrySetResult();
            _change = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    private async Task RefuseWhenAskedAsync(HttpContext context, RequestDelegate next)
    {
        // As the server: "Content-Type: application/json" without a charset, and X-Version-Id.
        // The official client reads a body as JSON only for exactly that type (fake fixed: it
        // answered "application/json; charset=utf-8", which Client4 returned as a string).
        context.Response.OnStarting(() =>
        {
            if (context.Response.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true)
            {
                context.Response.ContentType = "application/json";
            }

            context.Response.Headers["X-Version-Id"] = "10.5.0.10.5.0.abc.false";
            return Task.CompletedTask;
        });

        if (!context.WebSockets.IsWebSocketRequest && !context.Request.Path.StartsWithSegments("/_fake")
            && Interlocked.Decrement(ref _tooManyRequests) >= 0)
        {
            Interlocked.Increment(ref TooManyRequestsServed);
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = "1";
            await context.Response.WriteAsJsonAsync(new { id = "api.context.429.app_error", message = "Too many requests. Please try again later.", status_code = 429 });
            Changed();
            return;
        }

        await next(context);
    }

    private IResult MyChannels(HttpContext context)
    {
        if (Caller(context) is null)
        {
            return Unauthorized();
        }

        return Results.Json(new JsonArray(_channels.Keys.Order().Select(id => (JsonNode)new JsonObject
        {
            ["id"] = id, ["team_id"] = TeamId, ["type"] = "O", ["display_name"] = id, ["name"] = id,
            ["create_at"] = 0, ["update_at"] = 0, ["delete_at"] = 0, ["last_post_at"] = 0, ["total_msg_count"] = 0,
        }).ToArray()));
    }

    private async Task<IResult> CreatePostAsync(HttpContext context)
    {
        if (Caller(context) is not { } caller)
        {
            return Unauthorized();
        }

        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        var hold = _holdPosts;
        JsonObject? post = null;
        if (hold is not null && _createBeforeHolding)
        {
            post = NewPost((string)body["channel_id"]!, caller.Id, (string)body["message"]!, (string?)body["root_id"], body["props"]?.AsObject());
        }

        if (hold is not null)
        {
            Interlocked.Increment(ref HeldPostRequests);
            Changed();
            await hold.Task.WaitAsync(context.RequestAborted); // hangs: the caller may die meanwhile
        }

        post ??= NewPost((string)body["channel_id"]!, caller.Id, (string)body["message"]!, (string?)body["root_id"], body["props"]?.AsObject());
        await BroadcastPostedAsync(post, $"@{caller.Username}", withMentions: true);
        return Results.Json(post, statusCode: StatusCodes.Status201Created);
    }

    private async Task<IResult> PatchPostAsync(HttpContext context, string id)
    {
        if (Caller(context) is null)
        {
            return Unauthorized();
        }

        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        if (!_posts.TryGetValue(id, out var post))
        {
            return Results.Json(new { id = "app.post.get.app_error", message = "Unable to get the post.", status_code = 404 }, statusCode: 404);
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (PostEditTimeLimit is { } limit && body["message"] is not null && now > (long)post["create_at"]! + (long)limit.TotalMilliseconds)
        {
            Interlocked.Increment(ref RefusedEdits);
            Changed();
            return Results.Json(new
            {
                id = "api.post.update_post.permissions_time_limit.app_error",
                message = $"Post edit is only allowed for {(long)limit.TotalSeconds} seconds. Please ask your System Administrator for details.",
                detailed_error = "", request_id = "", status_code = 400,
            }, statusCode: StatusCodes.Status400BadRequest);
        }

        JsonObject copy;
        lock (post)
        {
            post["message"] = (string?)body["message"];
            post["edit_at"] = now;
            post["update_at"] = now;
            copy = (JsonObject)post.DeepClone();
        }

        await BroadcastAsync("post_edited", new JsonObject { ["post"] = copy.ToJsonString() });
        Changed();
        return Results.Json(copy);
    }

    private IResult ChannelPosts(HttpContext context, string channelId, long? since)
    {
        if (Caller(context) is null)
        {
            return Unauthorized();
        }

        var posts = Posts(channelId).Where(p => since is null || (long)p["update_at"]! >= since).OrderByDescending(p => (long)p["create_at"]!).ToList();
        var map = new JsonObject();
        foreach (var post in posts)
        {
            map[(string)post["id"]!] = post;
        }

        return Results.Json(new JsonObject
        {
            ["order"] = new JsonArray(posts.Select(p => (JsonNode)(string)p["id"]!).ToArray()), ["posts"] = map,
            ["next_post_id"] = "", ["prev_post_id"] = "", ["has_next"] = false,
        });
    }

    private async Task WebSocketAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (_holdSockets is { } hold)
        {
            Interlocked.Increment(ref HeldSockets);
            Changed();
            await hold.Task.WaitAsync(context.RequestAborted);
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var challenge = await ReceiveAsync(socket);
        var user = ByToken((string?)challenge?["data"]?["token"]);
        if (challenge is null || (string?)challenge["action"] != "authentication_challenge" || user is null)
        {
            // As the server: a bad token closes the connection, without a reply or a close frame.
            Interlocked.Increment(ref RefusedAuthentications);
            Interlocked.Increment(ref RefusedTokens);
            Changed();
            socket.Abort();
            return;
        }

        var connection = await AttachAsync(socket, user, context.Request.Query["connection_id"], context.Request.Query["sequence_number"],
            (long?)challenge["seq"] ?? 0);
        Interlocked.Increment(ref Authentications);
        Changed();
        try
        {
            while (socket.State == WebSocketState.Open && await ReceiveAsync(socket) is { } request)
            {
                var reply = new JsonObject { ["status"] = "OK", ["seq_reply"] = request["seq"]?.DeepClone() };
                if ((string?)request["action"] == "ping")
                {
                    reply["data"] = new JsonObject { ["text"] = "pong", ["version"] = "10.5.0", ["server_time"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() };
                }

                await SendAsync(connection, reply);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or JsonException)
        {
        }
        finally
        {
            await connection.Gate.WaitAsync();
            if (connection.Socket == socket)
            {
                connection.Socket = null;
            }

            connection.Gate.Release();
            Changed();
        }
    }

    /// <summary>
    /// As the server's WebConn: a known connection resumes from its dead queue (the events from
    /// <paramref name="sequenceNumber"/> on, with their sequence numbers, and no hello); one whose
    /// sequence is lost gets a new id and a hello at 0; an unknown one is new, with a hello at 0.
    /// </summary>
    private async Task<Connection> AttachAsync(WebSocket socket, FakeUser user, string? connectionId, string? sequenceNumber, long challengeSeq)
    {
        long.TryParse(sequenceNumber, out var wanted);
        if (!string.IsNullOrEmpty(connectionId) && _connections.TryGetValue(connectionId, out var known) && known.UserId == user.Id)
        {
            await known.Gate.WaitAsync();
            try
            {
                known.Socket?.Abort();
                known.Socket = socket;
                await socket.SendAsync(Bytes(new JsonObject { ["status"] = "OK", ["seq_reply"] = challengeSeq }), WebSocketMessageType.Text, true, CancellationToken.None);
                var from = known.DeadQueue.FindIndex(e => (long)e["seq"]! == wanted);
                if (from >= 0)
                {
                    Interlocked.Increment(ref Resumes);
                    foreach (var missed in known.DeadQueue.Skip(from))
                    {
                        await socket.SendAsync(Bytes(missed), WebSocketMessageType.Text, true, CancellationToken.None);
                    }

                    return known;
                }

                if (wanted == known.Sequence)
                {
                    Interlocked.Increment(ref Resumes); // nothing was missed
                    return known;
                }

                // The wanted event is gone: a new connection id, and a hello at 0.
                _connections.TryRemove(known.Id, out _);
                known.Id = NewId();
                known.Sequence = 0;
                known.DeadQueue.Clear();
                _connections[known.Id] = known;
                await SendEventLockedAsync(known, Event("hello", Hello(known)));
                return known;
            }
            finally
            {
                known.Gate.Release();
            }
        }

        var connection = new Connection(NewId(), user.Id) { Socket = socket };
        await connection.Gate.WaitAsync();
        try
        {
            _connections[connection.Id] = connection;
            if (Interlocked.Exchange(ref _dropBeforeHello, 0) == 1)
            {
                socket.Abort(); // the hello below is only queued
            }
            else
            {
                await socket.SendAsync(Bytes(new JsonObject { ["status"] = "OK", ["seq_reply"] = challengeSeq }), WebSocketMessageType.Text, true, CancellationToken.None);
            }

            await SendEventLockedAsync(connection, Event("hello", Hello(connection)));
        }
        finally
        {
            connection.Gate.Release();
        }

        return connection;
    }

    private static JsonObject Hello(Connection connection) => new()
    {
        ["server_version"] = "10.5.0.10.5.0.abc.false", ["connection_id"] = connection.Id, ["server_hostname"] = "fake-mattermost",
    };

    private static string NewId() => Guid.NewGuid().ToString("N")[..26];

    private JsonObject NewPost(string channelId, string userId, string message, string? rootId, JsonObject? props)
    {
        _channels.TryAdd(channelId, channelId);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var post = new JsonObject
        {
            ["id"] = NewId(),
            ["create_at"] = now, ["update_at"] = now, ["edit_at"] = 0, ["delete_at"] = 0, ["is_pinned"] = false,
            ["user_id"] = userId, ["channel_id"] = channelId, ["root_id"] = rootId ?? "", ["original_id"] = "",
            ["message"] = message, ["type"] = "", ["props"] = props?.DeepClone() ?? new JsonObject(), ["hashtags"] = "",
            ["pending_post_id"] = "", ["reply_count"] = 0, ["metadata"] = new JsonObject(),
        };
        _posts[(string)post["id"]!] = post;
        Changed();
        return post;
    }

    private async Task BroadcastPostedAsync(JsonObject post, string senderName, bool withMentions)
    {
        var data = new JsonObject
        {
            ["channel_display_name"] = "Releases", ["channel_name"] = "releases", ["channel_type"] = "O",
            ["post"] = post.ToJsonString(), // a JSON document inside a string, as Mattermost sends it
            ["sender_name"] = senderName, ["team_id"] = TeamId, ["set_online"] = true,
        };
        var mentioned = FakeMentions.UserIds((string)post["message"]!, _users.Values.Select(u => (u.Id, u.Username)), (string)post["user_id"]!);
        if (withMentions && mentioned.Count > 0)
        {
            data["mentions"] = JsonSerializer.Serialize(mentioned); // also a JSON document inside a string
        }

        await BroadcastAsync("posted", data, (string)post["channel_id"]!);
    }

    private async Task BroadcastAsync(string name, JsonObject data, string channelId = "")
    {
        foreach (var connection in _connections.Values)
        {
            await connection.Gate.WaitAsync();
            try
            {
                await SendEventLockedAsync(connection, Event(name, data.DeepClone().AsObject(), channelId));
            }
            finally
            {
                connection.Gate.Release();
            }
        }
    }

    /// <summary>Numbers the event for this connection, keeps it for a resume, and sends it if a socket is there.</summary>
    private static async Task SendEventLockedAsync(Connection connection, JsonObject message)
    {
        message["seq"] = connection.Sequence++;
        connection.DeadQueue.Add(message);
        if (connection.DeadQueue.Count > DeadQueueSize)
        {
            connection.DeadQueue.RemoveAt(0);
        }

        try
        {
            if (connection.Socket is { State: WebSocketState.Open } socket)
            {
                await socket.SendAsync(Bytes(message), WebSocketMessageType.Text, true, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
        {
        }
    }

    private static JsonObject Event(string name, JsonObject data, string channelId = "") => new()
    {
        ["event"] = name, ["data"] = data,
        ["broadcast"] = new JsonObject { ["omit_users"] = null, ["user_id"] = "", ["channel_id"] = channelId, ["team_id"] = "" },
    };

    private static byte[] Bytes(JsonObject message) => Encoding.UTF8.GetBytes(message.ToJsonString());

    private static async Task SendAsync(Connection connection, JsonObject message)
    {
        await connection.Gate.WaitAsync();
        try
        {
            if (connection.Socket is { State: WebSocketState.Open } socket)
            {
                await socket.SendAsync(Bytes(message), WebSocketMessageType.Text, true, CancellationToken.None);
            }
        }
        finally
        {
            connection.Gate.Release();
        }
    }

    private static async Task<JsonObject?> ReceiveAsync(WebSocket socket)
    {
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonNode.Parse(message.ToArray())?.AsObject();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        ReleasePosts();
        ReleaseSockets();
        DropSockets();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
