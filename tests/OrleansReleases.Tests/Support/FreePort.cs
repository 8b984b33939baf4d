using System.Net;
using System.Net.Sockets;

namespace OrleansReleases.Tests.Support;

/// <summary>Ports for Orleans' silo and gateway endpoints, so several test services can run side by side.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
