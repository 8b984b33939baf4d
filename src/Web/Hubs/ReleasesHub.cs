using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using OrleansReleases.Grains.Releases;

namespace OrleansReleases.Web.Hubs;

/// <summary>
/// <c>/hubs/releases</c>: browsers join a release's group to hear <c>releaseChanged</c>; every
/// connection hears <c>releaseListChanged</c>; a browser creating a release watches its
/// <c>compareProgress</c>. Signed-in users only. A connection holds at most
/// <see cref="HubConnections.MaxGroupsPerConnection"/> groups; signing out closes it.
/// </summary>
[Authorize]
public sealed class ReleasesHub(HubConnections connections, OrleansReleases.Grains.Metrics.ReleasesMetrics? metrics = null) : Hub
{
    public const string Path = "/hubs/releases";

    public static string ReleaseGroup(string releaseId) => $"release:{releaseId}";

    public static string ProgressGroup(string progressId) => $"progress:{progressId}";

    public override Task OnConnectedAsync()
    {
        connections.Add(Context);
        metrics?.ConnectionOpened();
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Remove(Context.ConnectionId);
        metrics?.ConnectionClosed();
        return base.OnDisconnectedAsync(exception);
    }

    public Task JoinRelease(string id) =>
        ReleaseId.IsWellFormed(id) ? JoinAsync(ReleaseGroup(id)) : throw new HubException("Unknown release id.");

    public Task LeaveRelease(string id)
    {
        if (!ReleaseId.IsWellFormed(id))
        {
            return Task.CompletedTask;
        }

        connections.Leave(Context.ConnectionId, ReleaseGroup(id));
        return Groups.RemoveFromGroupAsync(Context.ConnectionId, ReleaseGroup(id));
    }

    public Task WatchProgress(string progressId) =>
        ProgressId.IsWellFormed(progressId)
            ? JoinAsync(ProgressGroup(progressId))
            : throw new HubException("A progress id is 1 to 64 letters, digits or dashes.");

    private Task JoinAsync(string group) =>
        connections.TryJoin(Context.ConnectionId, group)
            ? Groups.AddToGroupAsync(Context.ConnectionId, group)
            : throw new HubException($"A connection may watch at most {HubConnections.MaxGroupsPerConnection} releases or progresses; leave one first.");
}
