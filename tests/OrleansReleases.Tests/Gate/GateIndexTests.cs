using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Gate;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Grains.Storage;
using OrleansReleases.Tests.Support;

namespace OrleansReleases.Tests.Gate;

/// <summary>The gate index on both databases: replaced with each publication, never back in time, and missing releases found.</summary>
[Trait("Category", "Slow")] // starts PostgreSQL
public sealed class GateIndexTests : IDisposable
{
    private static readonly string First = "aaaaaaa" + new string('1', 33);
    private static readonly string Second = "bbbbbbb" + new string('2', 33);

    private readonly TestDatabases _databases = new();

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Each_publication_replaces_the_release_rows_and_a_late_one_changes_nothing(string kind)
    {
        var database = _databases.Open(kind);
        var gate = new SqlGateIndex(database);
        var catalog = new SqlReleaseCatalog(database, [gate]);
        var release = new Release(new ReleaseState(), new ApprovalRoles(), TimeProvider.System);
        release.Create("r-1", new NewRelease("uat", "master"), new Actor("carol", []),
            [new RepoChange("github/Auth-Service", 1, ["Alice"], First.ToUpperInvariant(), Source: "github"), new RepoChange("api-gateway", 1, ["Bob"], Second)], []);
        var v1 = ReleaseView.From(release);
        release.UpdateRepo(new Actor("carol", []), "api-gateway", excluded: true, dependsOn: null, expectedVersion: null);
        var v2 = ReleaseView.From(release);

        Assert.Empty(await gate.FindMissingAsync()); // nothing published yet
        await catalog.PublishAsync(new ReleasePublication(v1, [], [], null, 1));
        var auth = Assert.Single(await gate.FindAsync("master", "auth-service"));
        Assert.Equal(("r-1", ReleaseStatus.Pending, false, false, "github/Auth-Service", First, false),
            (auth.ReleaseId, auth.Status, auth.DevApproved, auth.QaApproved, auth.Repo, auth.Sha, auth.Excluded)); // the sha kept lower-case
        Assert.True((v1.CreatedAt - auth.CreatedAt).Duration() < TimeSpan.FromMilliseconds(1));
        Assert.Single(await gate.FindAsync("master", "github/auth-service"));
        Assert.Empty(await gate.FindAsync("master", "local/auth-service"));
        Assert.Empty(await gate.FindAsync("main", "auth-service"));
        Assert.False(Assert.Single(await gate.FindAsync("master", "api-gateway")).Excluded);

        await catalog.PublishAsync(new ReleasePublication(v2, [], [], null, 2));
        Assert.True(Assert.Single(await gate.FindAsync("master", "api-gateway")).Excluded);

        await catalog.PublishAsync(new ReleasePublication(v1, [], [], null, 1)); // late: the rows stay those of version 2
        Assert.True(Assert.Single(await gate.FindAsync("master", "api-gateway")).Excluded);
        Assert.Empty(await gate.FindMissingAsync());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_release_published_without_the_gate_is_found_missing(string kind)
    {
        var database = _databases.Open(kind);
        var release = new Release(new ReleaseState(), new ApprovalRoles(), TimeProvider.System);
        release.Create("r-old", new NewRelease("uat", "master"), new Actor("carol", []), [new RepoChange("auth-service", 1, ["Alice"], First)], []);
        await new SqlReleaseCatalog(database).PublishAsync(new ReleasePublication(ReleaseView.From(release), [], [], null, 1));

        var gate = new SqlGateIndex(database);
        Assert.Equal(["r-old"], await gate.FindMissingAsync());
        Assert.Empty(await gate.FindAsync("master", "auth-service"));

        await new SqlReleaseCatalog(database, [gate]).PublishAsync(new ReleasePublication(ReleaseView.From(release), [], [], null, 1));
        Assert.Empty(await gate.FindMissingAsync());
        Assert.Single(await gate.FindAsync("master", "auth-service"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_big_release_is_written_in_chunks_and_only_changed_rows_are_rewritten(string kind)
    {
        var database = _databases.Open(kind);
        var gate = new SqlGateIndex(database);
        var catalog = new SqlReleaseCatalog(database, [gate, new SqlRepoNameIndex()]);
        var repos = Enumerable.Range(0, SqlGateIndex.ChunkRows * 2 + 7)
            .Select(i => new RepoChange($"service-{i:0000}", 1, ["Alice"], (i % 2 == 0 ? First : Second).ToUpperInvariant())).ToList();
        var release = new Release(new ReleaseState(), new ApprovalRoles(), TimeProvider.System);
        release.Create("r-big", new NewRelease("uat", "master"), new Actor("carol", []), repos, []);
        await catalog.PublishAsync(new ReleasePublication(ReleaseView.From(release), [], [], null, 1));
        Assert.Equal(repos.Count, await CountAsync(database, "SELECT COUNT(*) FROM release_gate WHERE release_id = 'r-big'"));
        Assert.Equal(repos.Count, await CountAsync(database, "SELECT COUNT(*) FROM repo_names"));
        Assert.Equal(Second, Assert.Single(await gate.FindAsync("master", "service-1001")).Sha);

        // A refresh drops one repo and moves another; an exclusion changes a third: the rest stay as they are.
        release.Refresh(new Actor("carol", []),
            [.. repos.Where(r => r.Name != "service-0003").Select(r => r.Name == "service-0004" ? r with { HeadSha = Second } : r)], []);
        release.UpdateRepo(new Actor("carol", []), "service-1000", excluded: true, dependsOn: null, expectedVersion: null);
        await catalog.PublishAsync(new ReleasePublication(ReleaseView.From(release), [], [], null, 2));
        Assert.Equal(repos.Count - 1, await CountAsync(database, "SELECT COUNT(*) FROM release_gate WHERE release_id = 'r-big'"));
        Assert.Empty(await gate.FindAsync("master", "service-0003"));
        Assert.Equal(Second, Assert.Single(await gate.FindAsync("master", "service-0004")).Sha);
        Assert.True(Assert.Single(await gate.FindAsync("master", "service-1000")).Excluded);
        Assert.False(Assert.Single(await gate.FindAsync("master", "service-1002")).Excluded);
        Assert.Equal(repos.Count, await CountAsync(database, "SELECT COUNT(*) FROM repo_names")); // names are never removed
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_database_with_the_two_earlier_gate_indexes_is_left_with_the_one_that_serves_both(string kind)
    {
        var database = _databases.Open(kind);
        await ExecuteAsync(database, """
            DROP INDEX IF EXISTS ix_release_gate_key;
            CREATE INDEX ix_release_gate_lookup ON release_gate (dest_branch, repo_key);
            CREATE INDEX ix_release_gate_repo ON release_gate (repo_key);
            """);
        Assert.Equal(["ix_release_gate_lookup", "ix_release_gate_repo"], await GateIndexesAsync(database, kind));

        database.EnsureCreated(); // the next start

        Assert.Equal(["ix_release_gate_key"], await GateIndexesAsync(database, kind));
    }

    private static async Task<List<string>> GateIndexesAsync(IReleaseDatabase database, string kind)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = kind == "postgres"
            ? "SELECT indexname FROM pg_indexes WHERE tablename = 'release_gate' AND indexname LIKE 'ix_%' ORDER BY indexname;"
            : "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'release_gate' AND name LIKE 'ix_%' ORDER BY name;";
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static async Task ExecuteAsync(IReleaseDatabase database, string sql)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountAsync(IReleaseDatabase database, string sql)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public void Dispose() => _databases.Dispose();
}
