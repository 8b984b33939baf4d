using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using OrleansReleases.Grains.Storage;
using OrleansReleases.Tests.Support;

namespace OrleansReleases.Tests.Http;

/// <summary>
/// Grains are reached through the HTTP API only: a node has no Orleans gateway an Orleans client
/// could call grains through (passing any actor it likes), and its silo port listens on loopback.
/// </summary>
public sealed class GrainSideDoorTests : IDisposable
{
    private readonly TempFolder _folder = TempFolder.Create();

    [Fact]
    public async Task One_node_has_no_gateway_and_its_silo_port_listens_on_loopback_only()
    {
        await using var host = await ServiceHost.StartAsync(_folder.Folder("data"));
        var endpoints = host.Service<IOptions<EndpointOptions>>().Value;

        Assert.Equal(0, endpoints.GatewayPort);
        Assert.Null(endpoints.GatewayListeningEndpoint);
        Assert.Equal(IPAddress.Loopback, endpoints.AdvertisedIPAddress);
        Assert.Null(endpoints.SiloListeningEndpoint); // so it listens where it is advertised: 127.0.0.1
        Assert.True(await AcceptsAsync(new IPEndPoint(IPAddress.Loopback, endpoints.SiloPort)));
        foreach (var address in OwnNonLoopbackAddresses())
        {
            Assert.False(await AcceptsAsync(new IPEndPoint(address, endpoints.SiloPort)), $"the silo port answers on {address}");
        }
    }

    [Fact]
    public async Task An_Orleans_client_cannot_connect_to_a_node()
    {
        await using var host = await ServiceHost.StartAsync(_folder.Folder("data"));
        var siloPort = host.Service<IOptions<EndpointOptions>>().Value.SiloPort;

        using var client = Host.CreateDefaultBuilder()
            .UseOrleansClient(orleans => orleans
                .UseStaticClustering(new IPEndPoint(IPAddress.Loopback, siloPort), new IPEndPoint(IPAddress.Loopback, EndpointOptions.DEFAULT_GATEWAY_PORT))
                .Configure<ClusterOptions>(options => (options.ServiceId, options.ClusterId) = (StorageNames.ServiceId, StorageNames.ServiceId))
                .UseConnectionRetryFilter((_, _) => Task.FromResult(false)))
            .ConfigureLogging(logging => logging.ClearProviders())
            .Build();

        // Nothing listens as a gateway, and the silo port turns clients away ("Unexpected client connection
        // on silo endpoint"), so the client fails or is still trying when given up on: it never connects.
        // With a gateway configured, the same client connects within a second or two.
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await Assert.ThrowsAnyAsync<Exception>(() => client.StartAsync(giveUp.Token).WaitAsync(TimeSpan.FromSeconds(90)));
    }

    private static async Task<bool> AcceptsAsync(IPEndPoint endpoint)
    {
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endpoint).WaitAsync(TimeSpan.FromSeconds(5));
            return true;
        }
        catch (Exception ex) when (ex is SocketException or TimeoutException)
        {
            return false;
        }
    }

    private static IEnumerable<IPAddress> OwnNonLoopbackAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(nic => nic.OperationalStatus == OperationalStatus.Up)
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
            .Select(unicast => unicast.Address)
            .Where(address => address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(address));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
