using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using OrleansReleases.Grains;

namespace OrleansReleases.Web.Hosting;

/// <summary>
/// Behind a reverse proxy (<c>Releases:BehindProxy</c>): <c>X-Forwarded-For</c> and <c>-Proto</c>
/// are believed only from <c>Releases:TrustedProxies</c> (addresses or CIDR networks; loopback when
/// unset), and <c>X-Forwarded-Host</c> only when it names <c>Releases:BaseUrl</c>'s host (never,
/// without a base URL), so no one can point sign-in redirects at another host.
/// </summary>
public static class ForwardedHeadersSetup
{
    public static ForwardedHeadersOptions Options(ReleasesOptions releases)
    {
        var baseHost = Uri.TryCreate(releases.BaseUrl, UriKind.Absolute, out var baseUrl) ? baseUrl.Authority : null;
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto
                               | (baseHost is null ? ForwardedHeaders.None : ForwardedHeaders.XForwardedHost),
            ForwardLimit = 1,
        };
        if (baseHost is not null)
        {
            options.AllowedHosts = [baseHost];
        }

        options.KnownIPNetworks.Clear();
        options.KnownProxies.Clear();
        var entries = releases.TrustedProxies
            .SelectMany(entry => entry.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
        if (entries.Count == 0)
        {
            entries = ["127.0.0.0/8", "::1/128"];
        }

        foreach (var entry in entries)
        {
            if (entry.Contains('/', StringComparison.Ordinal) && System.Net.IPNetwork.TryParse(entry, out var network))
            {
                options.KnownIPNetworks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                options.KnownProxies.Add(address);
            }
            else
            {
                throw new InvalidOperationException($"Refusing to start: Releases:TrustedProxies has '{entry}', which is neither an IP address nor a CIDR network.");
            }
        }

        return options;
    }
}
