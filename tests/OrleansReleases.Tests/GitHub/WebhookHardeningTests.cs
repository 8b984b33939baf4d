using System.Net;
using System.Text.Json.Nodes;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Tests.Http;
using OrleansReleases.Tests.Support;
using static OrleansReleases.Tests.Support.ApiClient;

namespace OrleansReleases.Tests.GitHub;

/// <summary>A captured delivery cannot be replayed, and a large body is refused before it is read.</summary>
public sealed class WebhookHardeningTests(GitHubServiceFixture fixture) : IClassFixture<GitHubServiceFixture>
{
    private readonly ServiceHost _host = fixture.Host;

    [Fact]
    public async Task A_replayed_delivery_is_answered_200_and_causes_no_refresh()
    {
        var gateway = fixture.GitHub.Repo("api-gateway").Branch("rc-replay", "uat");
        using var alice = await _host.SignedInAsync("alice");
        var id = (string)(await alice.CreateReleaseAsync("rc-replay", "master"))["id"]!;

        gateway.Commit("rc-replay", "Mallory Quick", "mallory");
        var recorder = new RecordingHandler();
        using var http = new HttpClient(recorder);
        var delivered = await fixture.GitHub.DeliverPushAsync(http, fixture.WebhookUrl, GitHubServiceFixture.WebhookSecret, "api-gateway", "rc-replay");
        Assert.Equal(HttpStatusCode.Accepted, delivered.StatusCode);
        await _host.Service<BranchPushRefresher>().WhenIdleAsync();
        var afterFirst = await alice.GetJsonAsync($"/api/releases/{id}");
        Assert.Equal(2, CommitCount(afterFirst, "api-gateway"));

        // The branch moves on; a replay of the captured delivery must not be what refreshes the release.
        gateway.Commit("rc-replay", "Mallory Quick", "mallory");
        using var plain = new HttpClient();
        var replayed = await plain.SendAsync(recorder.Copy());
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        var underNewId = recorder.Copy();
        underNewId.Headers.Remove("X-GitHub-Delivery");
        underNewId.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.OK, (await plain.SendAsync(underNewId)).StatusCode);
        await _host.Service<BranchPushRefresher>().WhenIdleAsync();

        var afterReplay = await alice.GetJsonAsync($"/api/releases/{id}");
        Assert.Equal((long)afterFirst["version"]!, (long)afterReplay["version"]!);
        Assert.Equal(2, CommitCount(afterReplay, "api-gateway"));
    }

    [Fact]
    public async Task A_signed_push_without_a_delivery_id_is_refused()
    {
        var recorder = new RecordingHandler();
        using var http = new HttpClient(recorder);
        fixture.GitHub.Repo("api-gateway").Branch("rc-no-id", "uat");
        await fixture.GitHub.DeliverPushAsync(http, fixture.WebhookUrl, GitHubServiceFixture.WebhookSecret, "api-gateway", "rc-no-id");
        var request = recorder.Copy();
        request.Headers.Remove("X-GitHub-Delivery");

        using var plain = new HttpClient();
        await ExpectProblemAsync(await plain.SendAsync(request), HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("sha256=0000000000000000000000000000000000000000000000000000000000000000", HttpStatusCode.RequestEntityTooLarge)]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    public async Task A_20_MB_chunked_body_is_refused_while_it_is_still_being_sent(string? signature, HttpStatusCode expected)
    {
        var (status, sentWhenAnswered, total) = await StreamingBody.SendAsync(fixture.WebhookUrl, signature);

        Assert.Equal(expected, status);
        Assert.True(sentWhenAnswered < total / 2, $"the answer came after {sentWhenAnswered} of {total} bytes were sent");
    }

    private static int CommitCount(JsonNode release, string repo) =>
        (int)release["repos"]!.AsArray().Single(r => (string?)r!["name"] == repo)!["commitCount"]!;

    /// <summary>Keeps the last request sent, so a test can send it again byte for byte.</summary>
    private sealed class RecordingHandler() : DelegatingHandler(new HttpClientHandler())
    {
        private HttpRequestMessage? _last;
        private byte[] _body = [];

        public HttpRequestMessage Copy()
        {
            var copy = new HttpRequestMessage(_last!.Method, _last.RequestUri) { Content = new ByteArrayContent(_body) };
            foreach (var (name, values) in _last.Headers)
            {
                copy.Headers.TryAddWithoutValidation(name, values);
            }

            copy.Content.Headers.ContentType = _last.Content!.Headers.ContentType;
            return copy;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            _last = request;
            return await base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>Without the webhook, its path is a 404 that reads no body.</summary>
public sealed class WebhookOffBodyTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task A_large_chunked_body_to_the_webhook_that_is_off_is_a_404_while_it_is_still_being_sent()
    {
        var (status, sentWhenAnswered, total) = await StreamingBody.SendAsync(new Uri(fixture.Host.BaseAddress, "/webhooks/github"), null);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.True(sentWhenAnswered < total / 2, $"the answer came after {sentWhenAnswered} of {total} bytes were sent");
    }
}

/// <summary>
/// Sends a 20 MB chunked body (no Content-Length) over a plain socket, and reads the answer while
/// sending. Sending pauses after 8 MB until the answer has arrived (at most 20 s), so a server that
/// reads the whole body before answering answers only after all 20 MB were sent.
/// </summary>
internal static class StreamingBody
{
    public const long Total = 20 * 1024 * 1024;

    private const long PauseAfter = 8 * 1024 * 1024;

    public static async Task<(HttpStatusCode Status, long SentWhenAnswered, long Total)> SendAsync(Uri url, string? signature)
    {
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(url.Host, url.Port);
        var stream = tcp.GetStream();
        var head = $"POST {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
            + $"X-GitHub-Event: push\r\nX-GitHub-Delivery: {Guid.NewGuid()}\r\n"
            + (signature is null ? "" : $"X-Hub-Signature-256: {signature}\r\n") + "\r\n";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head));

        long sent = 0;
        long sentWhenAnswered = -1;
        var answer = ReadStatusAsync(stream, () => sentWhenAnswered = Interlocked.Read(ref sent), giveUp.Token);
        var chunk = System.Text.Encoding.ASCII.GetBytes($"{64 * 1024:x}\r\n" + new string('a', 64 * 1024) + "\r\n");
        try
        {
            while (sent < Total && !answer.IsCompleted)
            {
                if (sent == PauseAfter)
                {
                    await Task.WhenAny(answer, Task.Delay(TimeSpan.FromSeconds(20)));
                    continue;
                }

                await stream.WriteAsync(chunk, giveUp.Token);
                Interlocked.Add(ref sent, 64 * 1024);
            }

            if (!answer.IsCompleted)
            {
                await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), giveUp.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // the server closed the connection after answering: what is measured is when the answer came
        }

        var status = await answer.WaitAsync(TimeSpan.FromSeconds(60));
        return (status, sentWhenAnswered, Total);
    }

    private static async Task<HttpStatusCode> ReadStatusAsync(Stream stream, Action onAnswer, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var text = new System.Text.StringBuilder();
        while (!text.ToString().Contains("\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                throw new IOException("The server closed the connection without an answer.");
            }

            text.Append(System.Text.Encoding.ASCII.GetString(buffer, 0, read));
        }

        onAnswer();
        return (HttpStatusCode)int.Parse(text.ToString().Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
