using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;

namespace OrleansReleases.Tests.Support;

/// <summary>Every route under /api, read from the app's own endpoint list, so a new route cannot be forgotten.</summary>
public static partial class ApiRoutes
{
    public static IReadOnlyList<(string Method, string Path)> Of(ServiceHost host)
    {
        var routes = new List<(string, string)>();
        foreach (var endpoint in host.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText ?? "";
            if (!pattern.StartsWith("/api", StringComparison.Ordinal))
            {
                continue;
            }

            var path = Parameter().Replace(pattern, m => m.Groups[1].Value == "kind" ? "dev" : "someid");
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"];
            routes.AddRange(methods.Select(method => (method, path)));
        }

        return routes;
    }

    [GeneratedRegex(@"\{\*{0,2}([^}:?]+)[^}]*\}")]
    private static partial Regex Parameter();
}
