using Microsoft.Data.Sqlite;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Grains.Storage;
using OrleansReleases.Tests.Support;

namespace OrleansReleases.Tests.Grains;

/// <summary>The release grain on a real Orleans silo with SQLite storage.</summary>
public sealed class ReleaseGrainTests : IAsyncLifetime
{
    private static readonly Actor Creator = new("carol", []);
    private static readonly Actor DevLead = new("dana", ["release-dev-lead"]);
    private static readonly Actor Tester = new("quinn", ["release-qa"]);

    private readonly TempFolder _folder = TempFolder.Create();
    private SqliteTestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await SqliteTestCluster.StartAsync(_folder);

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private static RepoChange[] TwoRepos() =>
    [
        new("api-gateway", 2, ["Carol"], "aaaa1111"),
        new("auth-service", 3, ["Alice", "Bob"], "bbbb2222"),
    ];

    private async Task<IReleaseGrain> CreateAsync(string id)
    {
        var grain = _cluster.Grains.GetGrain<IReleaseGrain>(id);
        await grain.Create(new NewRelease("uat", "master", "first notes"), Creator, TwoRepos(), []);
        return grain;
    }

    [Fact]
    public async Task A_release_that_was_never_created_reads_as_null()
    {
        Assert.Null(await _cluster.Grains.GetGrain<IReleaseGrain>("nosuchrelease").Get());
    }

    [Fact]
    public async Task State_is_read_back_from_SQLite_after_the_grain_is_deactivated()
    {
        var grain = await CreateAsync("persisted1");
        await grain.UpdateRepo(Creator, "api-gateway", null, ["auth-service"], null);
        await grain.Approve(DevLead, ApprovalKind.Dev);
        var before = await grain.Get();

        await _cluster.DeactivateAllAsync();
        var after = await _cluster.Grains.GetGrain<IReleaseGrain>("persisted1").Get();

        Assert.NotNull(after);
        Assert.Equal(3, after.Version);
        Assert.Equal(before!.DevApproval, after.DevApproval);
        Assert.Equal(["auth-service"], after.Repos.Single(r => r.Name == "api-gateway").DependsOn);
        Assert.Equal([["auth-service"], ["api-gateway"]], after.DeployOrder.Layers.Select(l => l.ToArray()).ToArray());
    }

    [Fact]
    public async Task A_broken_rule_reaches_the_caller_with_its_kind_and_changes_nothing()
    {
        var grain = await CreateAsync("refused1");

        var error = await Assert.ThrowsAsync<ReleaseRuleException>(() => grain.Approve(Tester, ApprovalKind.Dev));

        Assert.Equal(RuleViolation.Forbidden, error.Violation);
        Assert.Equal(1, (await grain.Get())!.Version);
    }

    [Fact]
    public async Task Creating_the_same_release_twice_is_refused()
    {
        var grain = await CreateAsync("twice1");

        var error = await Assert.ThrowsAsync<ReleaseRuleException>(() =>
            grain.Create(new NewRelease("uat", "master"), Creator, TwoRepos(), []));

        Assert.Equal(RuleViolation.Conflict, error.Violation);
    }

    [Fact]
    public async Task Dozens_of_parallel_changes_are_all_kept_and_the_version_grows_by_their_number()
    {
        var grain = await CreateAsync("parallel1");
        const int changes = 48;

        await Task.WhenAll(Enumerable.Range(0, changes).Select(i =>
            grain.EditText(new Actor($"user{i}", []), $"notes from {i}", null, null)));

        var release = await grain.Get();
        Assert.Equal(1 + changes, release!.Version);
        var history = await _cluster.Catalog.HistoryAsync("parallel1");
        Assert.Equal(Enumerable.Range(1, 1 + changes).Select(v => (long)v), history.Select(h => h.Version));
        Assert.Equal(changes, history.Count(h => h.Action == "text-edited"));
        Assert.Equal(changes, history.Where(h => h.Action == "text-edited").Select(h => h.Actor).Distinct().Count());
    }

    [Fact]
    public async Task Every_change_reaches_the_index_and_the_history()
    {
        var grain = await CreateAsync("indexed1");
        await grain.Approve(DevLead, ApprovalKind.Dev);
        await grain.Approve(Tester, ApprovalKind.Qa);

        var page = await _cluster.Catalog.ListAsync(new ReleaseQuery(Status: ReleaseStatus.Approved));
        var summary = Assert.Single(page.Items, s => s.Id == "indexed1");
        Assert.True(summary.DevApproved && summary.QaApproved);
        Assert.Equal(2, summary.RepoCount);
        Assert.Equal(5, summary.CommitCount);

        var history = await _cluster.Catalog.HistoryAsync("indexed1");
        Assert.Equal(["created", "approved-dev", "approved-qa"], history.Select(h => h.Action));
        Assert.Equal(["carol", "dana", "quinn"], history.Select(h => h.Actor));
    }

    [Fact]
    public async Task An_index_lost_after_the_state_was_stored_is_rebuilt_from_the_state()
    {
        var grain = await CreateAsync("repair1");
        await grain.Approve(DevLead, ApprovalKind.Dev);

        // Simulate a crash between the two writes: the grain state holds version 2, the index and
        // history know nothing of it, and the process (with the grain's memory) is gone.
        await _cluster.DeactivateAllAsync();
        using (var connection = _cluster.Database.Open())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "DELETE FROM release_index WHERE id = 'repair1'; DELETE FROM release_history WHERE release_id = 'repair1' AND version = 2;";
            command.ExecuteNonQuery();
        }

        Assert.Equal(["repair1"], await _cluster.Catalog.FindUnpublishedAsync());
        await _cluster.Grains.GetGrain<IReleaseGrain>("repair1").Republish();

        Assert.Empty(await _cluster.Catalog.FindUnpublishedAsync());
        var summary = Assert.Single((await _cluster.Catalog.ListAsync(new ReleaseQuery())).Items, s => s.Id == "repair1");
        Assert.True(summary.DevApproved);
        Assert.Equal([1L, 2L], (await _cluster.Catalog.HistoryAsync("repair1")).Select(h => h.Version));
    }

    [Fact]
    public async Task Two_comparisons_that_finish_out_of_order_leave_the_newer_one_applied_across_a_reactivation()
    {
        var grain = await CreateAsync("order1");
        var older = await grain.BeginComparison();
        var newer = await grain.BeginComparison();
        Assert.True(newer > older);

        // The newer comparison (it began later) lands first; the older one, slower, lands after it.
        await grain.ApplyRefresh(Creator, newer, new ComparedRepos([new("api-gateway", 2, ["Carol"], "new-head"), TwoRepos()[1]], [], []));
        await _cluster.DeactivateAllAsync(); // the tickets are stored with the release
        grain = _cluster.Grains.GetGrain<IReleaseGrain>("order1");
        var answer = await grain.ApplyRefresh(Creator, older, new ComparedRepos([new("api-gateway", 2, ["Carol"], "old-head"), TwoRepos()[1]], [], []));

        Assert.Equal("new-head", answer.Repos.Single(r => r.Name == "api-gateway").HeadSha);
        Assert.Equal(2, answer.Version); // the older one changed nothing
        Assert.True(await grain.BeginComparison() > newer); // tickets keep growing after reactivation
        var history = await _cluster.Catalog.HistoryAsync("order1");
        Assert.Equal(["created", "refreshed"], history.Select(h => h.Action));
    }

    [Fact]
    public async Task Deploy_with_a_moved_head_answers_why_stores_the_refresh_and_dismisses_the_approvals()
    {
        var grain = await CreateAsync("deploy1");
        await grain.Approve(DevLead, ApprovalKind.Dev);
        await grain.Approve(Tester, ApprovalKind.Qa);

        var ticket = await grain.BeginComparison();
        var outcome = await grain.Deploy(Creator, ticket, new ComparedRepos([TwoRepos()[0], new("auth-service", 4, ["Alice"], "cccc3333")], [], []));

        Assert.Contains("auth-service (bbbb222 → cccc333)", outcome.RefusedBecause);
        await _cluster.DeactivateAllAsync();
        var stored = (await _cluster.Grains.GetGrain<IReleaseGrain>("deploy1").Get())!;
        Assert.Equal(ReleaseStatus.Pending, stored.Status);
        Assert.Null(stored.DevApproval);
        Assert.Equal("cccc3333", stored.Repos.Single(r => r.Name == "auth-service").HeadSha);
        var dismissal = (await _cluster.Catalog.HistoryAsync("deploy1"))[^1];
        Assert.Equal([new FieldChange("auth-service head", "bbbb2222", "cccc3333")], dismissal.Changes);
    }

    [Fact]
    public async Task An_approval_with_a_stale_version_is_refused()
    {
        var grain = await CreateAsync("ifmatch1");
        await grain.EditText(Creator, "moved on", null, null);

        var error = await Assert.ThrowsAsync<ReleaseRuleException>(() => grain.Approve(DevLead, ApprovalKind.Dev, 1));

        Assert.Equal(RuleViolation.VersionMismatch, error.Violation);
        var approved = await grain.Approve(DevLead, ApprovalKind.Dev, 2);
        Assert.Equal([new CoveredCommit("api-gateway", "aaaa1111"), new CoveredCommit("auth-service", "bbbb2222")], approved.DevApproval!.Covers);
    }
}
