using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using OrleansReleases.Grains.Releases;

namespace OrleansReleases.Web.Hubs;

/// <summary>
/// <c>/hubs/releases</c>: browsers join a release's group to hear <c>releaseChanged</c>; every
/// connection hears <c>releaseListChanged</c>; a browser creating a release watches its
/// <c>compareProgress</c>. Signed-in users only.
/// </summary>
[Authorize]
public sealed class ReleasesHub(OrleansReleases.Grains.Metrics.ReleasesMetrics? metrics = null) : Hub
{
    public override Task OnConnectedAsync()
    {
        metrics?.ConnectionOpened();
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        metrics?.ConnectionClosed();
        return base.OnDisconnectedAsync(exception);
    }

    public const string Path = "/hubs/releases";

    public static string ReleaseGroup(string releaseId) => $"release:{releaseId}";

    public static string ProgressGroup(string progressId) => $"progress:{progressId}";

    public Task JoinRelease(string id) =>
        ReleaseId.IsWellFormed(id) ? Groups.AddToGroupAsync(Context.ConnectionId, ReleaseGroup(id)) : throw new HubException("Unknown release id.");

    public Task LeaveRelease(string id) =>
        ReleaseId.IsWellFormed(id) ? Groups.RemoveFromGroupAsync(Context.ConnectionId, ReleaseGroup(id)) : Task.CompletedTask;

    public Task WatchProgress(string progressId) =>
        ProgressId.IsWellFormed(progressId)
            ? Groups.AddToGroupAsync(Context.ConnectionId, ProgressGroup(progressId))
            : throw new HubException("A progress id is 1 to 64 letters, digits or dashes.");
}
