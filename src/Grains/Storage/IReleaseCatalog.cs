using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Releases;

namespace OrleansReleases.Grains.Storage;

/// <summary>
/// What lives beside the grain state: the release index, which lists and searches releases
/// without waking their grains, and the append-only history. Both are projections of the state
/// each release grain stores, so they can always be rebuilt from it after a crash.
/// </summary>
public interface IReleaseCatalog
{
    /// <summary>
    /// Records a stored change in one transaction: the release's new index row, its new history
    /// entries, and its notices in the chat outbox. Entries already present are kept as they are,
    /// so publishing twice is harmless.
    /// </summary>
    Task PublishAsync(ReleasePublication publication);

    Task<ReleasePage> ListAsync(ReleaseQuery query, CancellationToken cancellationToken = default);

    /// <summary>Every change of one release, oldest first.</summary>
    Task<IReadOnlyList<HistoryEntry>> HistoryAsync(string releaseId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Open (not deployed) releases whose source or destination branch is <paramref name="branch"/>:
    /// the ones a push to that branch may change. Oldest first.
    /// </summary>
    Task<IReadOnlyList<string>> FindOpenByBranchAsync(string branch, CancellationToken cancellationToken = default);

    /// <summary>Releases whose stored state is newer than their index row: a crash hit between the two writes.</summary>
    Task<IReadOnlyList<string>> FindUnpublishedAsync(CancellationToken cancellationToken = default);
}

/// <summary>A filter and a page of the release list. <see cref="Cursor"/> comes from the previous page.</summary>
public sealed record ReleaseQuery(
    ReleaseStatus? Status = null,
    string? SourceBranch = null,
    string? DestBranch = null,
    string? Search = null,
    int Limit = ReleaseQuery.DefaultLimit,
    string? Cursor = null)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
}

/// <summary>One page of the release list, newest first; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record ReleasePage(IReadOnlyList<ReleaseSummary> Items, string? NextCursor);
