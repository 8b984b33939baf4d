using OrleansReleases.Grains.Sources.GitHub;
using OrleansReleases.Silo.Hosting;
using OrleansReleases.Tests.Support;

namespace OrleansReleases.Tests.GitHub;

/// <summary>
/// The bound on requests to GitHub under way at once: <c>Parallelism</c> for the whole cluster, each
/// silo taking its share of it, first come first served; and a setting above GitHub's own limit refused.
/// </summary>
public sealed class GitHubRequestGateTests
{
    [Fact]
    public async Task Requests_beyond_the_bound_wait_for_a_free_slot_in_order()
    {
        var gate = new GitHubRequestGate(new GitHubOptions { Parallelism = 2 });
        await gate.WaitAsync(CancellationToken.None);
        await gate.WaitAsync(CancellationToken.None);
        var third = gate.WaitAsync(CancellationToken.None);
        var fourth = gate.WaitAsync(CancellationToken.None);
        Assert.False(third.IsCompleted);

        gate.Release();
        await third;
        Assert.False(fourth.IsCompleted);
        gate.Release();
        await fourth;
    }

    [Fact]
    public async Task Each_silo_takes_its_share_of_the_cluster_bound_and_a_smaller_share_lets_none_in_until_below_it()
    {
        var gate = new GitHubRequestGate(new GitHubOptions { Parallelism = 64 });
        gate.ShareWith(3);
        Assert.Equal(21, gate.Limit); // 3 silos × 21 = 63 ≤ 64

        for (var i = 0; i < 21; i++)
        {
            await gate.WaitAsync(CancellationToken.None);
        }

        gate.ShareWith(4); // a fourth silo joined: 16 each
        var waiting = gate.WaitAsync(CancellationToken.None);
        for (var i = 0; i < 5; i++)
        {
            gate.Release(); // 16 under way: still the share
        }

        Assert.False(waiting.IsCompleted);
        gate.Release();
        await waiting;

        gate.ShareWith(100); // more silos than slots: each keeps one
        Assert.Equal(1, gate.Limit);
    }

    [Fact]
    public async Task A_share_that_grows_lets_the_waiting_in_at_once()
    {
        var gate = new GitHubRequestGate(new GitHubOptions { Parallelism = 2 });
        gate.ShareWith(2);
        await gate.WaitAsync(CancellationToken.None);
        var waiting = gate.WaitAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        gate.ShareWith(1); // the other silo left
        await waiting;
    }

    [Fact]
    public async Task A_cancelled_wait_gives_up_its_place()
    {
        var gate = new GitHubRequestGate(new GitHubOptions { Parallelism = 1 });
        await gate.WaitAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = gate.WaitAsync(cancel.Token);
        var next = gate.WaitAsync(CancellationToken.None);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        gate.Release();
        await next; // the slot went to the next in line, not to the cancelled one
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public async Task A_parallelism_outside_1_to_100_is_refused_at_start(int parallelism)
    {
        using var folder = TempFolder.Create();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ReleasesApplication.BuildAsync(
        [
            $"--Releases:DatabasePath={folder.PathOf("releases.db")}",
            $"--Releases:Cluster:SiloPort={FreePort.Next()}",
            "--Logging:LogLevel:Default=Warning",
            "--Releases:GitHub:Organization=acme",
            "--Releases:GitHub:Token=ghp_test",
            $"--Releases:GitHub:Parallelism={parallelism}",
        ]));

        Assert.StartsWith(ReleasesApplication.StartRefusal, error.Message);
        Assert.Contains("Releases:GitHub:Parallelism", error.Message);
    }
}
