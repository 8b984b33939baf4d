using Orleans.Runtime;
using Microsoft.Extensions.Logging;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Events;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Grains.Releases;

/// <summary>
/// One release. Orleans runs one call at a time here, so every change sees the result of the one
/// before it. A change is applied by the domain rules (<see cref="Release"/>), stored, and only
/// then answered; the release index and history follow right after (see <see cref="IReleaseCatalog"/>),
/// and the events grain hears of it (see <see cref="IReleaseEventsGrain"/>).
/// </summary>
public sealed class ReleaseGrain(
    [PersistentState(StorageNames.ReleaseState, StorageNames.Provider)] IPersistentState<ReleaseState> stored,
    IReleaseCatalog catalog,
    ApprovalRoles roles,
    TimeProvider clock,
    ILogger<ReleaseGrain> logger) : Grain, IReleaseGrain
{
    /// <summary>The last answer, kept until the next change: reads are the common case and need not rebuild it.</summary>
    private ReleaseView? _view;

    private Release Release => new(stored.State, roles, clock);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A previous activation may have stored a change but not published it (it crashed in between).
        if (stored.State.UnpublishedHistory.Count > 0 || stored.State.UnpublishedNotices.Count > 0)
        {
            await PublishAsync(ReleaseView.From(Release));
        }
    }

    public Task<ReleaseView> Create(NewRelease spec, Actor actor, IReadOnlyList<RepoChange> repos, IReadOnlyList<string> warnings) =>
        Change(release => release.Create(this.GetPrimaryKeyString(), spec, actor, repos, warnings));

    public Task<ReleaseView?> Get() => Task.FromResult(stored.State.Exists ? _view ??= ReleaseView.From(Release) : null);

    public Task<ReleaseView> EditText(Actor actor, string? notes, string? breakingChanges, long? expectedVersion) =>
        Change(release => release.EditText(actor, notes, breakingChanges, expectedVersion));

    public Task<ReleaseView> UpdateRepo(Actor actor, string repoName, bool? excluded, IReadOnlyList<string>? dependsOn, long? expectedVersion) =>
        Change(release => release.UpdateRepo(actor, repoName, excluded, dependsOn, expectedVersion));

    public Task<ReleaseView> Approve(Actor actor, ApprovalKind kind) => Change(release => release.Approve(actor, kind));

    public Task<ReleaseView> Withdraw(Actor actor, ApprovalKind kind) => Change(release => release.Withdraw(actor, kind));

    public Task<ReleaseView> Deploy(Actor actor) => Change(release => release.Deploy(actor));

    public Task<ReleaseView> ApplyRefresh(Actor actor, IReadOnlyList<RepoChange> repos, IReadOnlyList<string> warnings) =>
        Change(release => release.Refresh(actor, repos, warnings));

    public async Task SetChatPost(string channelId, string postId)
    {
        if (!stored.State.Exists)
        {
            throw new ReleaseRuleException(RuleViolation.NotFound, "Release not found.");
        }

        stored.State.ChatChannelId = channelId;
        stored.State.ChatPostId = postId;
        await stored.WriteStateAsync();
    }

    public Task<ChatLink?> GetChatLink() =>
        Task.FromResult(stored.State is { Exists: true, ChatChannelId: { } channel } ? new ChatLink(channel, stored.State.ChatPostId) : null);

    public async Task Republish()
    {
        if (stored.State.Exists)
        {
            await PublishAsync(ReleaseView.From(Release));
        }
    }

    private async Task<ReleaseView> Change(Action<Release> apply)
    {
        var release = Release;
        var version = stored.State.Version;
        _view = null;
        apply(release); // a refused change throws here, before anything changed
        if (stored.State.Version == version)
        {
            return ReleaseView.From(release); // accepted, but nothing to store
        }

        try
        {
            await stored.WriteStateAsync();
        }
        catch
        {
            // Memory is now ahead of storage. Drop this activation so the next call starts from
            // what is stored, and let the caller see the failure: nothing was acknowledged.
            DeactivateOnIdle();
            throw;
        }

        var view = ReleaseView.From(release);
        await PublishAsync(view);
        GrainFactory.GetGrain<IReleaseEventsGrain>(IReleaseEventsGrain.Key).ReleaseChanged(view).Ignore();
        return view;
    }

    /// <summary>
    /// Writes the index row and the history entries of stored changes. A failure here loses
    /// nothing: the entries stay in the stored state and are published again with the next change,
    /// on the next activation, or by the start-up repair.
    /// </summary>
    private async Task PublishAsync(ReleaseView view)
    {
        try
        {
            var state = stored.State;
            await catalog.PublishAsync(new ReleasePublication(
                view, state.UnpublishedHistory, state.UnpublishedNotices, state.ChatChannelId, long.Parse(stored.Etag!)));
            state.UnpublishedHistory.Clear();
            state.UnpublishedNotices.Clear();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Release {ReleaseId} is stored at version {Version} but its index and history are not updated yet", view.Id, view.Version);
        }
    }
}
