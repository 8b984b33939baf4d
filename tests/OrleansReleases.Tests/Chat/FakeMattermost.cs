using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OrleansReleases.Tests.Chat;

/// <summary>
/// A Mattermost server on loopback that speaks the parts of API v4 the bot uses, with the real
/// shapes: REST <c>users/me</c>, creating and patching posts, a channel's posts since a time, and
/// the WebSocket (authentication challenge, <c>hello</c>, <c>posted</c> events whose
/// <c>data.post</c> is a JSON string, sequence numbers). Tests can drop sockets, answer 429 with
/// Retry-After, and hold post requests to simulate a crash mid-way.
/// </summary>
public sealed class FakeMattermost : IAsyncDisposable
{
    public const string Token = "bot-token-s3cr3t-value";
    public const string BotUserId = "botuserid00000000000000000";
    public const string BotName = "pusheen";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, JsonObject> _posts = new();
    private readonly ConcurrentDictionary<WebSocket, SemaphoreSlim> _sockets = new();
    private readonly Lock _changed = new();
    private TaskCompletionSource _change = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _seq;
    private int _tooManyRequests;
    private TaskCompletionSource? _holdPosts;
    private bool _createBeforeHolding;

    private FakeMattermost(WebApplication app)
    {
        _app = app;
    }

    public string Url => _app.Urls.First();

    /// <summary>How many requests were refused with 429 so far.</summary>
    public int TooManyRequestsServed;

    /// <summary>How many sockets completed the authentication challenge so far.</summary>
    public int Authentications;

    /// <summary>How many post requests arrived while posts were held.</summary>
    public int HeldPostRequests;

    public static async Task<FakeMattermost> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeMattermost(app);
        app.UseWebSockets();
        app.Use(fake.RefuseWhenAskedAsync);
        app.MapGet("/api/v4/users/me", (HttpContext c) => fake.Authorized(c) ? Results.Json(new { id = BotUserId, username = BotName }) : Results.Unauthorized());
        app.MapPost("/api/v4/posts", (Delegate)fake.CreatePostAsync);
        app.MapPut("/api/v4/posts/{id}/patch", fake.PatchPostAsync);
        app.MapGet("/api/v4/channels/{channelId}/posts", fake.ChannelPosts);
        app.Map("/api/v4/websocket", fake.WebSocketAsync);
        await app.StartAsync();
        return fake;
    }

    // ---- what tests do ----

    /// <summary>A person posts in a channel; every connected socket hears a <c>posted</c> event.</summary>
    public async Task<string> UserPostsAsync(string channelId, string userName, string message)
    {
        var post = NewPost(channelId, $"user-{userName}", message, rootId: null, props: null);
        await BroadcastPostedAsync(post, userName);
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

    /// <summary>Closes every socket abruptly, as a network drop would.</summary>
    public void DropSockets()
    {
        foreach (var socket in _sockets.Keys)
        {
            socket.Abort();
        }
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

    private bool Authorized(HttpContext context) => context.Request.Headers.Authorization.ToString() == $"Bearer {Token}";

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
        if (!context.WebSockets.IsWebSocketRequest && Interlocked.Decrement(ref _tooManyRequests) >= 0)
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

    private async Task<IResult> CreatePostAsync(HttpContext context)
    {
        if (!Authorized(context))
        {
            return Results.Unauthorized();
        }

        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        var hold = _holdPosts;
        JsonObject? post = null;
        if (hold is not null && _createBeforeHolding)
        {
            post = NewPost((string)body["channel_id"]!, BotUserId, (string)body["message"]!, (string?)body["root_id"], body["props"]?.AsObject());
        }

        if (hold is not null)
        {
            Interlocked.Increment(ref HeldPostRequests);
            Changed();
            await hold.Task.WaitAsync(context.RequestAborted); // hangs: the caller may die meanwhile
        }

        post ??= NewPost((string)body["channel_id"]!, BotUserId, (string)body["message"]!, (string?)body["root_id"], body["props"]?.AsObject());
        await BroadcastPostedAsync(post, BotName);
        return Results.Json(post, statusCode: StatusCodes.Status201Created);
    }

    private async Task<IResult> PatchPostAsync(HttpContext context, string id)
    {
        if (!Authorized(context))
        {
            return Results.Unauthorized();
        }

        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        if (!_posts.TryGetValue(id, out var post))
        {
            return Results.NotFound(new { id = "app.post.get.app_error", status_code = 404 });
        }

        lock (post)
        {
            post["message"] = (string?)body["message"];
            post["edit_at"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            post["update_at"] = post["edit_at"]!.DeepClone();
        }

        Changed();
        return Results.Json(post);
    }

    private IResult ChannelPosts(HttpContext context, string channelId, long? since)
    {
        if (!Authorized(context))
        {
            return Results.Unauthorized();
        }

        var posts = Posts(channelId).Where(p => since is null || (long)p["update_at"]! >= since).ToList();
        var map = new JsonObject();
        foreach (var post in posts)
        {
            map[(string)post["id"]!] = post;
        }

        return Results.Json(new JsonObject { ["order"] = new JsonArray(posts.Select(p => (JsonNode)(string)p["id"]!).ToArray()), ["posts"] = map });
    }

    private async Task WebSocketAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var challenge = await ReceiveAsync(socket);
        var seq = (long?)challenge?["seq"] ?? 0;
        if (challenge is null || (string?)challenge["action"] != "authentication_challenge" || (string?)challenge["data"]?["token"] != Token)
        {
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "authentication failed", CancellationToken.None);
            return;
        }

        var sendLock = new SemaphoreSlim(1, 1);
        await SendAsync(socket, sendLock, new JsonObject { ["status"] = "OK", ["seq_reply"] = seq });
        await SendAsync(socket, sendLock, Event("hello", new JsonObject { ["server_version"] = "10.5.0" }));
        _sockets[socket] = sendLock;
        Interlocked.Increment(ref Authentications);
        Changed();
        try
        {
            while (socket.State == WebSocketState.Open && await ReceiveAsync(socket) is not null)
            {
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            _sockets.TryRemove(socket, out _);
        }
    }

    private JsonObject NewPost(string channelId, string userId, string message, string? rootId, JsonObject? props)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var post = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString("N")[..26],
            ["create_at"] = now, ["update_at"] = now, ["edit_at"] = 0, ["delete_at"] = 0,
            ["user_id"] = userId, ["channel_id"] = channelId, ["root_id"] = rootId ?? "",
            ["message"] = message, ["type"] = "", ["props"] = props?.DeepClone() ?? new JsonObject(),
        };
        _posts[(string)post["id"]!] = post;
        Changed();
        return post;
    }

    private async Task BroadcastPostedAsync(JsonObject post, string senderName)
    {
        var data = new JsonObject
        {
            ["channel_display_name"] = "Releases", ["channel_name"] = "releases", ["channel_type"] = "O",
            ["post"] = post.ToJsonString(), // a JSON document inside a string, as Mattermost sends it
            ["sender_name"] = $"@{senderName}", ["team_id"] = "team1",
        };
        foreach (var (socket, sendLock) in _sockets)
        {
            try
            {
                await SendAsync(socket, sendLock, Event("posted", data.DeepClone().AsObject()));
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
            {
            }
        }
    }

    private JsonObject Event(string name, JsonObject data) => new()
    {
        ["event"] = name, ["data"] = data,
        ["broadcast"] = new JsonObject { ["omit_users"] = null, ["user_id"] = "", ["channel_id"] = "", ["team_id"] = "" },
        ["seq"] = Interlocked.Increment(ref _seq) - 1,
    };

    private static async Task SendAsync(WebSocket socket, SemaphoreSlim sendLock, JsonObject message)
    {
        await sendLock.WaitAsync();
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            sendLock.Release();
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
        DropSockets();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
