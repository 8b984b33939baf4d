using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using OrleansReleases.Grains.Releases;

namespace OrleansReleases.Grains.Events;

/// <summary>
/// Tells every subscriber about a release change (the shape of the GPSTracker sample's push
/// notifier). A stateless worker, so it runs on the silo of the release grain that calls it, in as
/// many activations as that silo needs. It knows no subscriber by name: it reads the list from
/// <see cref="IReleaseSubscribersGrain"/> and keeps it for <see cref="SubscribersKeptFor"/>, so the
/// list grain is asked at most about once a second per activation however many changes there are.
/// A new subscriber is called by every events grain within that second; its subscription waits
/// that long before the host starts listening (see <see cref="ReleaseChangeSubscription"/>).
/// </summary>
[StatelessWorker]
[Reentrant]
public sealed class ReleaseEventsGrain(ILogger<ReleaseEventsGrain> logger) : Grain, IReleaseEventsGrain
{
    public static readonly TimeSpan SubscribersKeptFor = TimeSpan.FromSeconds(1);

    private IReadOnlyList<IReleaseChangeObserver> _subscribers = [];
    private long? _readAt;
    private Task<IReadOnlyList<IReleaseChangeObserver>>? _reading;

    public async Task ReleaseChanged(ReleaseView release)
    {
        foreach (var subscriber in await SubscribersAsync())
        {
            subscriber.ReleaseChanged(release).Ignore();
        }
    }

    private async Task<IReadOnlyList<IReleaseChangeObserver>> SubscribersAsync()
    {
        if (_readAt is { } readAt && Stopwatch.GetElapsedTime(readAt) < SubscribersKeptFor)
        {
            return _subscribers;
        }

        // Changes that arrive during a read wait for the same read (this grain is reentrant).
        var reading = _reading ??= ReadSubscribersAsync();
        var subscribers = await reading;
        if (_reading == reading)
        {
            _reading = null;
        }

        return subscribers;
    }

    private async Task<IReadOnlyList<IReleaseChangeObserver>> ReadSubscribersAsync()
    {
        try
        {
            // The clock starts before asking, so the list is never kept longer than SubscribersKeptFor
            // after the list grain answered: what IReleaseSubscribersGrain.Subscribe promises.
            var asked = Stopwatch.GetTimestamp();
            _subscribers = await GrainFactory.GetGrain<IReleaseSubscribersGrain>(IReleaseSubscribersGrain.Key).GetSubscribers();
            _readAt = asked;
        }
        catch (Exception ex)
        {
            // The list grain is moving (its silo died): tell the subscribers known so far, and ask again next change.
            logger.LogWarning(ex, "Could not read the release change subscribers; using the {Count} known", _subscribers.Count);
        }

        return _subscribers;
    }
}
