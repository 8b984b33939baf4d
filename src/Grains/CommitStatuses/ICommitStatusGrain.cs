using Orleans.Concurrency;

namespace OrleansReleases.Grains.CommitStatuses;

/// <summary>
/// Sets a release's commit statuses on GitHub, one delivery at a time per release (keyed by the
/// release id), so an older state of the release never overwrites a newer one.
/// </summary>
public interface ICommitStatusGrain : IGrainWithStringKey
{
    /// <summary>
    /// Brings GitHub up to the release's latest stored state, unless it is there already. One-way:
    /// a delivery may wait on GitHub's rate limit far longer than a grain call may take.
    /// </summary>
    [OneWay]
    Task Deliver();
}
