using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Tests.Support;

namespace OrleansReleases.Tests.Http;

/// <summary>The hub's limits: groups per connection, and sign-out closing the person's connections.</summary>
public sealed class HubHardeningTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private readonly ServiceHost _host = fixture.Host;

    [Fact]
    public async Task The_51st_group_a_connection_joins_is_refused()
    {
        using var alice = await _host.SignedInAsync("alice");
        await using var hub = await HubListener.ConnectAsync(_host.BaseAddress, alice);
        var ids = Enumerable.Range(0, 51).Select(_ => ReleaseId.New()).ToList();

        foreach (var id in ids.Take(50))
        {
            await hub.Connection.InvokeAsync("JoinRelease", id);
        }

        await hub.Connection.InvokeAsync("JoinRelease", ids[0]); // joining again costs nothing
        var error = await Assert.ThrowsAsync<HubException>(() => hub.Connection.InvokeAsync("JoinRelease", ids[50]));
        Assert.Contains("at most 50", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<HubException>(() => hub.Connection.InvokeAsync("WatchProgress", "p1"));

        await hub.Connection.InvokeAsync("LeaveRelease", ids[1]);
        await hub.Connection.InvokeAsync("JoinRelease", ids[50]); // room again after leaving one
    }

    [Fact]
    public async Task Signing_out_closes_that_users_hub_connections_and_no_one_elses()
    {
        using var alice = await _host.SignedInAsync("alice-signs-out");
        using var bob = await _host.SignedInAsync("bob-stays");
        await using var aliceHub = await HubListener.ConnectAsync(_host.BaseAddress, alice);
        await using var bobHub = await HubListener.ConnectAsync(_host.BaseAddress, bob);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        aliceHub.Connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        await alice.GetAsync("/auth/logout");

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HubConnectionState.Disconnected, aliceHub.Connection.State);
        await bobHub.Connection.InvokeAsync("JoinRelease", ReleaseId.New()); // bob's connection still works
        Assert.Equal(HubConnectionState.Connected, bobHub.Connection.State);
    }
}
