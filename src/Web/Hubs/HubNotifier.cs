using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using OrleansReleases.Grains.Events;
using OrleansReleases.Grains.Releases;

namespace OrleansReleases.Web.Hubs;

/// <summary>
/// This silo's subscriber for its SignalR connections: every change goes to the release's group as
/// <c>releaseChanged</c> (a small <see cref="ReleaseChangedMessage"/>, not the release) and to everyone as <c>releaseListChanged</c>. Each silo has one, so
/// browsers connected to any silo hear changes made through any other.
/// </summary>
public sealed class HubNotifier(IHubContext<ReleasesHub> hub, IGrainFactory grains, ILogger<HubNotifier> logger)
    : ReleaseChangeSubscription(grains, logger), IReleaseChangeObserver
{
    protected override IReleaseChangeObserver CreateSubscriber(IGrainFactory grainFactory) =>
        grainFactory.CreateObjectReference<IReleaseChangeObserver>(this); // this singleton lives as long as the host, which the weak reference needs

    public async Task ReleaseChanged(ReleaseView release)
    {
        await hub.Clients.Group(ReleasesHub.ReleaseGroup(release.Id)).SendAsync("releaseChanged", ReleaseChangedMessage.From(release));
        await hub.Clients.All.SendAsync("releaseListChanged", release.ToSummary());
    }
}
