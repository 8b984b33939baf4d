using System.Net;

namespace OrleansReleases.Web.Auth;

/// <summary>
/// Whether an address or a listening URL stays on this machine. Used to keep the development login
/// local: <c>localhost</c>, <c>127.x.x.x</c> and <c>[::1]</c> are loopback; <c>*</c>, <c>+</c>,
/// <c>0.0.0.0</c>, <c>[::]</c>, other host names and unix sockets are not (a reverse proxy may sit
/// in front of any of them).
/// </summary>
public static class Loopback
{
    public static bool IsLoopback(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return IPAddress.IsLoopback(address);
    }

    /// <summary>A listening URL such as <c>http://127.0.0.1:5080</c>; anything unreadable counts as exposed.</summary>
    public static bool IsLoopbackUrl(string url)
    {
        var readable = url.Trim().Replace("://*", "://wildcard.invalid").Replace("://+", "://wildcard.invalid");
        if (!Uri.TryCreate(readable, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            return false;
        }

        if (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IsLoopback(ip);
    }
}
