using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using OrleansReleases.Grains.Events;
using OrleansReleases.Grains.Freeze;
using OrleansReleases.Web.Auth;
using OrleansReleases.Web.Endpoints;

namespace OrleansReleases.Web.Hubs;

/// <summary>
/// This silo's web front in the cluster's notices (<see cref="IClusterNoticesGrain"/>): a freeze set
/// or lifted through any silo reaches the browsers connected here as <c>freezeChanged</c>, and the
/// sessions of a person that ended through any silo close their live connections here.
/// <see cref="AnnounceFreezeChangedAsync"/> and <see cref="EndSessionsOf"/> are how a request on this
/// silo tells every silo, this one included.
/// </summary>
public sealed class HubClusterNotices(IHubContext<ReleasesHub> hub, HubConnections connections, FreezeService freezes, IGrainFactory grains,
    ILogger<HubClusterNotices> logger) : RenewedSubscription(logger), IClusterNoticeObserver
{
    private IClusterNoticeObserver? _reference;

    private IClusterNoticesGrain Notices => grains.GetGrain<IClusterNoticesGrain>(IClusterNoticesGrain.Key);

    protected override string Topic => "cluster notices";

    protected override async Task<TimeSpan> SubscribeAsync()
    {
        // This singleton lives as long as the host, which the object reference (a weak one) needs.
        await Notices.Subscribe(_reference ??= grains.CreateObjectReference<IClusterNoticeObserver>(this));
        return TimeSpan.Zero; // no cached copies of the list: a notice after this call reaches this silo
    }

    protected override Task UnsubscribeAsync() => _reference is null ? Task.CompletedTask : Notices.Unsubscribe(_reference);

    /// <summary>Tells the browsers on every silo that the freeze changed; this silo's at least, should the cluster not answer.</summary>
    public async Task AnnounceFreezeChangedAsync()
    {
        try
        {
            await Notices.FreezeChanged();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not tell the other silos that the freeze changed; their dashboards see it at their next poll");
            await FreezeChanged();
        }
    }

    /// <summary>Closes this person's live connections here at once, and has every other silo close theirs.</summary>
    public void EndSessionsOf(ClaimsPrincipal? user)
    {
        if (user?.ActorId() is not { } id)
        {
            return;
        }

        connections.CloseAll(id);
        _ = TellSessionsEndedAsync(id);
    }

    public async Task FreezeChanged() =>
        await hub.Clients.All.SendAsync(DeployEndpoints.FreezeChangedEvent, await freezes.StatusAsync());

    public Task SessionsEnded(string actorId)
    {
        connections.CloseAll(actorId);
        return Task.CompletedTask;
    }

    private async Task TellSessionsEndedAsync(string id)
    {
        try
        {
            await Notices.SessionsEnded(id);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not tell the other silos to close the live connections of {ActorId}", id);
        }
    }
}
