using Microsoft.Extensions.Configuration;

namespace OrleansReleases.Grains.Chat;

/// <summary>Links to the dashboard for chat: <c>Releases:BaseUrl</c>, else where the service listens.</summary>
public sealed class DashboardLinks(IConfiguration configuration)
{
    public string BaseUrl { get; } = (configuration["Releases:BaseUrl"]
        ?? configuration["urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
        ?? "http://127.0.0.1:5080").TrimEnd('/');

    public string Release(string releaseId) => $"{BaseUrl}/releases/{releaseId}";
}
