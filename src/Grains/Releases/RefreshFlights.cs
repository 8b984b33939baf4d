using OrleansReleases.Grains.Sources;

namespace OrleansReleases.Grains.Releases;

/// <summary>
/// One refresh at a time per release on this silo. A refresh asked for while one runs does not
/// start a second comparison beside it: it waits for the running one and then shares the next one,
/// which every request that came meanwhile joins. So each caller gets a comparison that started
/// after it asked (a push it was told about is seen), and at most two run back to back however
/// many ask. Across silos the grain's comparison tickets keep the order.
/// </summary>
public sealed class RefreshFlights
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Slot> _slots = new(StringComparer.Ordinal);

    /// <summary>
    /// Runs <paramref name="work"/> for <paramref name="key"/>, or joins the refresh queued behind
    /// the running one. The shared work is not cancelled when one caller gives up waiting.
    /// </summary>
    public Task<T> RunAsync<T>(string key, IProgress<CompareProgress>? progress,
        Func<IProgress<CompareProgress>, Task<T>> work, CancellationToken cancellationToken) where T : class
    {
        Flight flight;
        var start = false;
        lock (_gate)
        {
            if (!_slots.TryGetValue(key, out var slot))
            {
                _slots[key] = slot = new Slot();
            }

            if (slot.Running is null)
            {
                flight = slot.Running = new Flight(async p => await work(p));
                start = true;
            }
            else
            {
                flight = slot.Queued ??= new Flight(async p => await work(p));
            }

            flight.Progress.Add(progress);
        }

        if (start)
        {
            _ = ExecuteAsync(key, flight);
        }

        return Result<T>(flight, cancellationToken);
    }

    /// <summary>How many releases have a refresh running here (for tests).</summary>
    public int Running
    {
        get
        {
            lock (_gate)
            {
                return _slots.Count;
            }
        }
    }

    private static async Task<T> Result<T>(Flight flight, CancellationToken cancellationToken) where T : class =>
        (T)await flight.Completion.Task.WaitAsync(cancellationToken);

    private async Task ExecuteAsync(string key, Flight flight)
    {
        while (true)
        {
            try
            {
                flight.Completion.SetResult(await flight.Work(flight.Progress));
            }
            catch (Exception ex)
            {
                flight.Completion.SetException(ex);
            }

            lock (_gate)
            {
                var slot = _slots[key];
                slot.Running = slot.Queued;
                slot.Queued = null;
                if (slot.Running is null)
                {
                    _slots.Remove(key);
                    return;
                }

                flight = slot.Running;
            }
        }
    }

    private sealed class Slot
    {
        public Flight? Running;
        public Flight? Queued;
    }

    private sealed class Flight(Func<IProgress<CompareProgress>, Task<object>> work)
    {
        public Func<IProgress<CompareProgress>, Task<object>> Work { get; } = work;
        public TaskCompletionSource<object> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public FanOut Progress { get; } = new();
    }

    /// <summary>Tells the progress of a shared comparison to everyone who joined it.</summary>
    private sealed class FanOut : IProgress<CompareProgress>
    {
        private readonly List<IProgress<CompareProgress>> _listeners = [];

        public void Add(IProgress<CompareProgress>? listener)
        {
            if (listener is not null)
            {
                lock (_listeners)
                {
                    _listeners.Add(listener);
                }
            }
        }

        public void Report(CompareProgress value)
        {
            IProgress<CompareProgress>[] listeners;
            lock (_listeners)
            {
                listeners = [.. _listeners];
            }

            foreach (var listener in listeners)
            {
                listener.Report(value);
            }
        }
    }
}
