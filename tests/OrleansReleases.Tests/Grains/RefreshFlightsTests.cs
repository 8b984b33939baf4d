using OrleansReleases.Grains.Releases;
using OrleansReleases.Grains.Sources;

namespace OrleansReleases.Tests.Grains;

/// <summary>One refresh at a time per release: callers who ask meanwhile share the next one, which starts after it.</summary>
public sealed class RefreshFlightsTests
{
    private readonly RefreshFlights _flights = new();
    private readonly List<TaskCompletionSource<string>> _runs = [];

    private Task<string> Ask(string release, IProgress<CompareProgress>? progress = null, CancellationToken cancellationToken = default) =>
        _flights.RunAsync(release, progress, _ =>
        {
            var run = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_runs)
            {
                _runs.Add(run);
            }

            return run.Task;
        }, cancellationToken);

    private int Started
    {
        get
        {
            lock (_runs)
            {
                return _runs.Count;
            }
        }
    }

    [Fact]
    public async Task Callers_who_ask_while_one_runs_wait_for_it_then_share_one_run_that_starts_after_it()
    {
        var first = Ask("r1");
        var second = Ask("r1");
        var third = Ask("r1");

        Assert.Equal(1, Started); // nothing runs beside the first
        _runs[0].SetResult("first");
        Assert.Equal("first", await first);
        await WaitUntil(() => Started == 2);
        Assert.False(second.IsCompleted);

        _runs[1].SetResult("second");
        Assert.Equal("second", await second);
        Assert.Equal("second", await third); // joined the same run
        Assert.Equal(2, Started);
        await WaitUntil(() => _flights.Running == 0);
    }

    [Fact]
    public async Task Releases_do_not_wait_for_each_other_and_a_failure_reaches_its_callers_only()
    {
        var one = Ask("r1");
        var other = Ask("r2");

        Assert.Equal(2, Started);
        _runs[0].SetException(new InvalidOperationException("source down"));
        _runs[1].SetResult("r2 compared");

        await Assert.ThrowsAsync<InvalidOperationException>(() => one);
        Assert.Equal("r2 compared", await other);
        await WaitUntil(() => _flights.Running == 0);

        var again = Ask("r1"); // a failed run does not block the next
        _runs[2].SetResult("r1 compared");
        Assert.Equal("r1 compared", await again);
    }

    [Fact]
    public async Task A_caller_that_gives_up_does_not_cancel_the_run_others_wait_for()
    {
        using var cancel = new CancellationTokenSource();
        var impatient = Ask("r1", cancellationToken: cancel.Token);
        var patient = Ask("r1");
        await WaitUntil(() => Started == 1);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient);
        _runs[0].SetResult("done");
        await WaitUntil(() => Started == 2);
        _runs[1].SetResult("next");

        Assert.Equal("next", await patient);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
