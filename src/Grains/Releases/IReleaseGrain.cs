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

    /// <summary>
    /// Gives an approval covering every included repo's head commit; with
    /// <paramref name="expectedVersion"/>, only while the release is still at that version.
    /// </summary>
    Task<ReleaseView> Approve(Actor actor, ApprovalKind kind, long? expectedVersion = null);

    Task<ReleaseView> Withdraw(Actor actor, ApprovalKind kind);

    /// <summary>
    /// The ticket of a comparison about to start (strictly greater than every earlier one, and
    /// stored): pass it to <see cref="ApplyRefresh"/> or <see cref="Deploy"/> with the comparison's result.
    /// </summary>
    Task<long> BeginComparison();

    /// <summary>
    /// Deploys when <paramref name="now"/> (the comparison of <paramref name="ticket"/>) shows what the
    /// approvals cover; otherwise stores it as a refresh and answers why nothing was deployed.
    /// </summary>
    Task<DeployOutcome> Deploy(Actor actor, long ticket, ComparedRepos now, FreezeCheck? freeze = null);

    /// <summary>
    /// Takes in a deployment report of one repo (see <see cref="DeploymentRules"/>); <paramref name="freeze"/>
    /// is the freeze in force, if any, and an admin's reason to go through it.
    /// </summary>
    Task<ReleaseView> ReportDeployment(Actor actor, DeploymentReport report, FreezeCheck? freeze = null);

    /// <summary>
    /// Takes in a comparison. One that began before the comparison last applied (an older
    /// <paramref name="ticket"/>) is ignored: the answer is the release as it is.
    /// </summary>
    Task<ReleaseView> ApplyRefresh(Actor actor, long ticket, ComparedRepos comparison);

    /// <summary>
    /// Takes in a comparison of a few repos (after a push), every other repo unchanged; ordered by
    /// <paramref name="ticket"/> like <see cref="ApplyRefresh"/>. Applied is false when a comparison
    /// that began later was applied first (compare again with a new ticket).
    /// </summary>
    Task<RepoRefreshOutcome> ApplyRepoComparisons(Actor actor, long ticket, IReadOnlyList<ComparedRepo> repos);

    /// <summary>
    /// Remembers the chat summary post of this release, which the bot keeps current. Not a change
    /// to the release: no new version, no history entry.
    /// </summary>
    Task SetChatPost(string channelId, string postId);

    /// <summary>Where chat hears about this release; null when it does not exist or has no channel.</summary>
    [ReadOnly]
    Task<ChatLink?> GetChatLink();

    /// <summary>
    /// Takes in the checks of <paramref name="repoName"/>'s head, while its head is still
    /// <paramref name="headSha"/> and the release is open (see <see cref="Release.UpdateChecks"/>).
    /// </summary>
    Task<ReleaseView?> UpdateChecks(Actor actor, string repoName, string headSha, RepoChecks checks);

    /// <summary>The commit each repo's new commits are counted from (see <see cref="Release.DeltaBases"/>).</summary>
    [ReadOnly]
    Task<IReadOnlyDictionary<string, string>> GetDeltaBases();

    /// <summary>Makes sure the release index and history hold what the stored state says (after a crash).</summary>
    Task Republish();
}
