using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;

namespace OrleansReleases.Tests.Support;

/// <summary>A browser's SignalR connection to <c>/hubs/releases</c>, recording every event it receives.</summary>
public sealed class HubListener : IAsyncDisposable
{
    private readonly Channel<(string Event, JsonNode Payload)> _received = Channel.CreateUnbounded<(string, JsonNode)>();

    private HubListener(HubConnection connection)
    {
        Connection = connection;
        foreach (var name in new[] { "releaseChanged", "releaseListChanged", "compareProgress", "freezeChanged" })
        {
            connection.On<JsonNode>(name, payload => _received.Writer.TryWrite((name, payload)));
        }
    }

    public HubConnection Connection { get; }

    public static async Task<HubListener> ConnectAsync(Uri baseAddress, ApiClient session)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, "/hubs/releases"), options => options.Cookies = session.Cookies)
            .Build();
        var listener = new HubListener(connection);
        await connection.StartAsync();
        return listener;
    }

    /// <summary>Waits (at most 10 s) for the first <paramref name="name"/> event that <paramref name="matches"/>.</summary>
    public async Task<JsonNode> NextAsync(string name, Func<JsonNode, bool>? matches = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            while (true)
            {
                var (received, payload) = await _received.Reader.ReadAsync(timeout.Token);
                if (received == name && (matches?.Invoke(payload) ?? true))
                {
                    return payload;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No matching '{name}' event arrived within 10 s.");
        }
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
