using Orleans.Concurrency;
using OrleansReleases.Grains.Releases;

namespace OrleansReleases.Grains.Events;

/// <summary>
/// Where release grains report every stored change. A stateless worker (see
/// <see cref="ReleaseEventsGrain"/>): each silo runs its own activations, so the fan-out to the
/// subscribers happens on the silo of the release that changed and no one activation carries the
/// traffic of the whole cluster. Use <see cref="Key"/>.
/// </summary>
public interface IReleaseEventsGrain : IGrainWithIntegerKey
{
    public const long Key = 0;

    /// <summary>Fire and forget: a release grain never waits for the browsers.</summary>
    [OneWay]
    Task ReleaseChanged(ReleaseView release);
}
