using Orleans.Concurrency;
using Orleans.Runtime;
using Microsoft.Extensions.Logging;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Events;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Grains.Releases;

/// <summary>
/// One release. A change is applied by the domain rules (<see cref="Release"/>) at once, in the
/// order calls arrive (applying never awaits, so no two changes interleave), then stored, and only
/// then answered. Group commit: changes that arrive while a write is in flight are applied and then
/// stored together by the next write, so a busy release is not limited to one disk write per change;
/// each caller is answered after the write that holds its change. Reads see only what is stored.
/// The release index and history follow each write (see <see cref="IReleaseCatalog"/>), and the
/// events grain hears of it (see <see cref="IReleaseEventsGrain"/>).
/// </summary>
[Reentrant]
public sealed class ReleaseGrain(
    [PersistentState(StorageNames.ReleaseState, StorageNames.Provider)] IPersistentState<ReleaseState> stored,
    IReleaseCatalog catalog,
    ApprovalRoles roles,
    TimeProvider clock,
    ILogger<ReleaseGrain> logger) : Grain, IReleaseGrain
{
    /// <summary>The release as last stored: what reads answer.</summary>
    private ReleaseView? _stored;

    /// <summary>The write in flight, and the one that will carry the changes applied meanwhile.</summary>
    private Task? _writing;
    private Task? _queued;

    private Release Release => new(stored.State, roles, clock);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!stored.State.Exists)
        {
            return;
        }

        _stored = ReleaseView.From(Release);

        // A previous activation may have stored a change but not published it (it crashed in between).
        if (stored.State.UnpublishedHistory.Count > 0 || stored.State.UnpublishedNotices.Count > 0)
        {
            await PublishAsync(_stored);
        }
    }

    public Task<ReleaseView> Create(NewRelease spec, Actor actor, IReadOnlyList<RepoChange> repos, IReadOnlyList<string> warnings) =>
        Change(release => release.Create(this.GetPrimaryKeyString(), spec, actor, repos, warnings));

    public Task<ReleaseView?> Get() => Task.FromResult(_stored);

    public Task<ReleaseView> EditText(Actor actor, string? notes, string? breakingChanges, long? expectedVersion) =>
        Change(release => release.EditText(actor, notes, breakingChanges, expectedVersion));

    public Task<ReleaseView> UpdateRepo(Actor actor, string repoName, bool? excluded, IReadOnlyList<string>? dependsOn, long? expectedVersion) =>
        Change(release => release.UpdateRepo(actor, repoName, excluded, dependsOn, expectedVersion));

    public Task<ReleaseView> Approve(Actor actor, ApprovalKind kind, long? expectedVersion = null) =>
        Change(release => release.Approve(actor, kind, expectedVersion));

    public Task<ReleaseView> Withdraw(Actor actor, ApprovalKind kind) => Change(release => release.Withdraw(actor, kind));

    public async Task<long> BeginComparison()
    {
        var ticket = Release.BeginComparison();
        await StoreAsync(); // a ticket is never handed out twice, even after a crash or on another silo
        return ticket;
    }

    public async Task<DeployOutcome> Deploy(Actor actor, long ticket, ComparedRepos now, FreezeCheck? freeze = null)
    {
        string? refused = null;
        var view = await Change(release => refused = release.Deploy(actor, now, ticket, freeze));
        return new DeployOutcome(view, refused);
    }

    public Task<ReleaseView> ReportDeployment(Actor actor, DeploymentReport report, FreezeCheck? freeze = null) =>
        Change(release => release.ReportDeployment(actor, report, freeze));

    public Task<ReleaseView> ApplyRefresh(Actor actor, long ticket, ComparedRepos comparison) =>
        Change(release => release.Refresh(actor, comparison, ticket));

    public async Task<RepoRefreshOutcome> ApplyRepoComparisons(Actor actor, long ticket, IReadOnlyList<ComparedRepo> repos)
    {
        var applied = false;
        var view = await Change(release => applied = release.RefreshRepos(actor, repos, ticket));
        return new RepoRefreshOutcome(view, applied);
    }

    public async Task SetChatPost(string channelId, string postId)
    {
        Release.LinkChatPost(channelId, postId);
        await StoreAsync();
    }

    public Task<ChatLink?> GetChatLink() =>
        Task.FromResult(stored.State is { Exists: true, ChatChannelId: { } channel } ? new ChatLink(channel, stored.State.ChatPostId) : null);

    public async Task<ReleaseView?> UpdateChecks(Actor actor, string repoName, string headSha, RepoChecks checks) =>
        stored.State.Exists ? await Change(release => release.UpdateChecks(actor, repoName, headSha, checks)) : null;

    public Task<IReadOnlyDictionary<string, string>> GetDeltaBases() =>
        Task.FromResult(stored.State.Exists ? Release.DeltaBases() : new Dictionary<string, string>());

    public async Task Republish()
    {
        if (_stored is not null)
        {
            await PublishAsync(_stored);
        }
    }

    private async Task<ReleaseView> Change(Action<Release> apply)
    {
        var release = Release;
        var version = stored.State.Version;
        apply(release); // a refused change throws here, before anything changed
        var view = ReleaseView.From(release);
        if (stored.State.Version == version)
        {
            return view; // accepted, but nothing to store
        }

        await StoreAsync(); // the write that holds this change (and every earlier one) is done
        return view;
    }

    /// <summary>The write that will hold everything applied so far: the one in flight if none is, else the next one.</summary>
    private Task StoreAsync()
    {
        if (_writing is null)
        {
            return _writing = WriteNowAsync();
        }

        return _queued ??= WriteAfterAsync(_writing);
    }

    private async Task WriteAfterAsync(Task previous)
    {
        try
        {
            await previous;
        }
        finally
        {
            _queued = null; // if the earlier write failed, these changes fail with it (the activation is dropped)
        }

        _writing = WriteNowAsync();
        await _writing;
    }

    private async Task WriteNowAsync()
    {
        var view = ReleaseView.From(Release); // what this write stores (it may carry later changes too)
        try
        {
            await stored.WriteStateAsync();
        }
        catch
        {
            // Memory is now ahead of storage. Drop this activation so the next call starts from
            // what is stored, and let the callers see the failure: nothing was acknowledged.
            DeactivateOnIdle();
            throw;
        }
        finally
        {
            _writing = null;
        }

        var before = _stored;
        _stored = view;
        await PublishAsync(view);
        GrainFactory.GetGrain<IReleaseEventsGrain>(IReleaseEventsGrain.Key)
            .ReleaseChanged(view with { Delta = RepoDelta.Between(before, view) }).Ignore(); // browsers hear what changed, not the whole
    }

    /// <summary>
    /// Writes the index row and the history entries of stored changes (up to <paramref name="view"/>'s
    /// version). A failure here loses nothing: the entries stay in the stored state and are published
    /// again with the next change, on the next activation, or by the start-up repair.
    /// </summary>
    private async Task PublishAsync(ReleaseView view)
    {
        var state = stored.State;
        var history = state.UnpublishedHistory.Where(h => h.Version <= view.Version).ToList();
        var notices = state.UnpublishedNotices.Where(n => n.Version <= view.Version).ToList();
        try
        {
            await catalog.PublishAsync(new ReleasePublication(view, history, notices, state.ChatChannelId, long.Parse(stored.Etag!)));
            Release.MarkPublished(view.Version);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Release {ReleaseId} is stored at version {Version} but its index and history are not updated yet", view.Id, view.Version);
        }
    }
}
