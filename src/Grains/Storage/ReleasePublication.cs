using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Releases;

namespace OrleansReleases.Grains.Storage;

/// <summary>
/// What one stored change of a release adds beside the grain state: its new index row, its
/// history entries and its chat notices (for the channel, if the release has one).
/// <see cref="StorageVersion"/> is the grain-storage version that holds the change.
/// </summary>
public sealed record ReleasePublication(
    ReleaseView Release,
    IReadOnlyList<HistoryEntry> History,
    IReadOnlyList<ReleaseNotice> Notices,
    string? ChatChannelId,
    long StorageVersion);
