using Orleans.Concurrency;

using OrleansReleases.Grains.Domain;

namespace OrleansReleases.Grains.Releases;

/// <summary>
/// One release, keyed by its id. It owns the release's repos, approvals, dependencies, notes and
/// version, and serializes every change to them: two calls never interleave, so no change is lost.
/// Each method returns the release as it is after the change, once the change is stored.
/// </summary>
public interface IReleaseGrain : IGrainWithStringKey
{
    Task<ReleaseView> Create(NewRelease spec, Actor actor, IReadOnlyList<RepoChange> repos, IReadOnlyList<string> warnings);

    /// <summary>The release, or null when no release has this id.</summary>
    [ReadOnly]
    Task<ReleaseView?> Get();

    Task<ReleaseView> EditText(Actor actor, string? notes, string? breakingChanges, long? expectedVersion);

    Task<ReleaseView> UpdateRepo(Actor actor, string repoName, bool? excluded, IReadOnlyList<string>? dependsOn, long? expectedVersion);

    Task<ReleaseView> Approve(Actor actor, ApprovalKind kind);

    Task<ReleaseView> Withdraw(Actor actor, ApprovalKind kind);

    Task<ReleaseView> Deploy(Actor actor);

    Task<ReleaseView> ApplyRefresh(Actor actor, IReadOnlyList<RepoChange> repos, IReadOnlyList<string> warnings);

    /// <summary>
    /// Remembers the chat summary post of this release, which the bot keeps current. Not a change
    /// to the release: no new version, no history entry.
    /// </summary>
    Task SetChatPost(string channelId, string postId);

    /// <summary>Where chat hears about this release; null when it does not exist or has no channel.</summary>
    [ReadOnly]
    Task<ChatLink?> GetChatLink();

    /// <summary>Makes sure the release index and history hold what the stored state says (after a crash).</summary>
    Task Republish();
}
