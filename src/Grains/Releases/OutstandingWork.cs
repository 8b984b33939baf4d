namespace OrleansReleases.Grains.Releases;

/// <summary>
/// Counts the work a background worker has accepted and not finished yet, so that a test or a
/// benchmark can wait until everything received so far is done (<see cref="WhenIdleAsync"/>)
/// instead of sleeping. Used by the workers behind GitHub's webhooks (<see cref="BranchPushRefresher"/>,
/// <see cref="ChecksRefresher"/>).
/// </summary>
public sealed class OutstandingWork
{
    private readonly Lock _lock = new();
    private int _count;
    private TaskCompletionSource? _idle;

    public void Add(int count = 1)
    {
        lock (_lock)
        {
            _count += count;
        }
    }

    public void Done(int count = 1)
    {
        lock (_lock)
        {
            _count -= count;
            if (_count == 0 && _idle is { } idle)
            {
                _idle = null;
                idle.TrySetResult();
            }
        }
    }

    /// <summary>Completes once every piece of work added so far is done.</summary>
    public Task WhenIdleAsync()
    {
        lock (_lock)
        {
            if (_count == 0)
            {
                return Task.CompletedTask;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task;
        }
    }
}
