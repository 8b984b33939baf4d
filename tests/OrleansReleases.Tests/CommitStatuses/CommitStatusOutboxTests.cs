using OrleansReleases.Grains.CommitStatuses;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Grains.Storage;
using OrleansReleases.Tests.Support;

namespace OrleansReleases.Tests.CommitStatuses;

/// <summary>The commit-status outbox on both databases: written with each publication, never back in time.</summary>
[Trait("Category", "Slow")] // starts PostgreSQL
public sealed class CommitStatusOutboxTests : IDisposable
{
    private readonly TestDatabases _databases = new();

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_outbox_follows_published_versions_and_its_deliveries_never_go_back(string kind)
    {
        var database = _databases.Open(kind);
        var outbox = new SqlCommitStatusOutbox(database);
        var catalog = new SqlReleaseCatalog(database, [outbox]);
        var views = Versions(4);
        var now = new DateTime(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);

        await catalog.PublishAsync(Publication(views[1]));
        Assert.Equal(new CommitStatusDebt("r-1", 1, 0, 0), await outbox.GetAsync("r-1"));
        Assert.Equal(["r-1"], await outbox.DueAsync(now, 10));

        await catalog.PublishAsync(Publication(views[3]));
        await catalog.PublishAsync(Publication(views[2])); // late: does not lower the version
        Assert.Equal(3, (await outbox.GetAsync("r-1"))!.Version);

        await outbox.MarkFailedAsync("r-1", 3, attempts: 1, now.AddHours(1), "GitHub answered 502");
        Assert.Empty(await outbox.DueAsync(now, 10));
        Assert.Equal(["r-1"], await outbox.DueAsync(now.AddHours(2), 10));
        Assert.Equal(new CommitStatusDebt("r-1", 3, 0, 1), await outbox.GetAsync("r-1"));

        await catalog.PublishAsync(Publication(views[4])); // a new version is tried at once
        Assert.Equal(["r-1"], await outbox.DueAsync(now, 10));

        await outbox.MarkDeliveredAsync("r-1", 4);
        await outbox.MarkDeliveredAsync("r-1", 2); // late: does not lower it
        Assert.Equal(new CommitStatusDebt("r-1", 4, 4, 0), await outbox.GetAsync("r-1"));
        Assert.Empty(await outbox.DueAsync(now.AddHours(2), 10));

        await outbox.MarkDeliveredAsync("r-other", 7); // a release without a row gets one
        Assert.Equal(new CommitStatusDebt("r-other", 7, 7, 0), await outbox.GetAsync("r-other"));
        Assert.Null(await outbox.GetAsync("r-none"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_last_status_set_per_commit_and_context_is_kept(string kind)
    {
        var outbox = new SqlCommitStatusOutbox(_databases.Open(kind));
        var pending = new DesiredStatus("auth-service", "a1", "release-gate/master", "pending", "waiting", "https://x/releases/r-1");

        Assert.Null(await outbox.LastSentAsync("acme/auth-service", "a1", "release-gate/master"));
        await outbox.RecordSentAsync("acme/auth-service", pending, "r-1", DateTime.UtcNow);
        await outbox.RecordSentAsync("acme/auth-service", pending with { State = "success", Description = "signed off" }, "r-1", DateTime.UtcNow);

        var sent = await outbox.LastSentAsync("acme/auth-service", "a1", "release-gate/master");
        Assert.Equal(("success", "signed off", "https://x/releases/r-1"), (sent!.State, sent.Description, sent.TargetUrl));
        Assert.Null(await outbox.LastSentAsync("acme/auth-service", "a1", "release-gate/main"));
    }

    [Fact]
    public async Task Without_the_writer_the_catalog_writes_no_outbox_row()
    {
        var database = _databases.Open("sqlite");
        await new SqlReleaseCatalog(database).PublishAsync(Publication(Versions(1)[1]));

        Assert.Null(await new SqlCommitStatusOutbox(database).GetAsync("r-1"));
    }

    /// <summary>The release r-1 at versions 1..<paramref name="count"/> (index = version).</summary>
    private static ReleaseView[] Versions(int count)
    {
        var release = new Release(new ReleaseState(), new ApprovalRoles(), TimeProvider.System);
        var views = new ReleaseView[count + 1];
        release.Create("r-1", new NewRelease("uat", "master"), new Actor("carol", []),
            [new RepoChange("auth-service", 1, ["Alice"], "a1", Source: "github")], []);
        views[1] = ReleaseView.From(release);
        for (var version = 2; version <= count; version++)
        {
            release.EditText(new Actor("carol", []), $"notes {version}", null, null);
            views[version] = ReleaseView.From(release);
        }

        return views;
    }

    private static ReleasePublication Publication(ReleaseView view) => new(view, [], [], null, view.Version);

    public void Dispose() => _databases.Dispose();
}
