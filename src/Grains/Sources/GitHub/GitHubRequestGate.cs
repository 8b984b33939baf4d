namespace OrleansReleases.Grains.Sources.GitHub;

/// <summary>
/// The bound on requests to GitHub under way at once from this silo, shared by every comparison of
/// the process: two releases created together still stay within it. <see cref="GitHubOptions.Parallelism"/>
/// is the bound for the whole cluster (GitHub refuses more than 100 at once per token): each silo
/// takes its share, <c>Parallelism ÷ active silos</c> (at least one), kept current by
/// <see cref="GitHubClusterShare"/> from the membership table. Requests under way when the share
/// shrinks finish; new ones wait until the silo is within its new share.
/// </summary>
public sealed class GitHubRequestGate(GitHubOptions options)
{
    private readonly Lock _lock = new();
    private readonly LinkedList<TaskCompletionSource> _waiting = new();
    private readonly int _cluster = Math.Max(1, options.Parallelism);
    private int _limit = Math.Max(1, options.Parallelism);
    private int _inUse;

    /// <summary>This silo's share now.</summary>
    public int Limit
    {
        get
        {
            lock (_lock)
            {
                return _limit;
            }
        }
    }

    /// <summary>Takes this silo's share of the cluster's bound, with <paramref name="activeSilos"/> silos sharing it.</summary>
    public void ShareWith(int activeSilos)
    {
        lock (_lock)
        {
            _limit = Math.Max(1, _cluster / Math.Max(1, activeSilos));
            WakeWaiters();
        }
    }

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        LinkedListNode<TaskCompletionSource> node;
        lock (_lock)
        {
            if (_inUse < _limit && _waiting.Count == 0)
            {
                _inUse++;
                return Task.CompletedTask;
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _waiting.AddLast(waiter);
        }

        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() =>
            {
                lock (_lock)
                {
                    if (node.List is null)
                    {
                        return; // already given a slot
                    }

                    _waiting.Remove(node);
                }

                waiter.TrySetCanceled(cancellationToken);
            });
            _ = waiter.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        }

        return waiter.Task;
    }

    public void Release()
    {
        lock (_lock)
        {
            _inUse--;
            WakeWaiters();
        }
    }

    private void WakeWaiters()
    {
        while (_inUse < _limit && _waiting.First is { } first)
        {
            _waiting.RemoveFirst();
            _inUse++;
            first.Value.TrySetResult();
        }
    }
}
