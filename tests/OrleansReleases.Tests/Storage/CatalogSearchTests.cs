using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Gate;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Grains.Storage;
using OrleansReleases.Tests.Support;

namespace OrleansReleases.Tests.Storage;

/// <summary>
/// The list's search on both databases, through the catalog with its writers: the text fields and
/// repo names (through <c>repo_names</c> and the gate rows) match the same way on SQLite and
/// PostgreSQL, whatever the case, with <c>%</c> and <c>_</c> taken literally; a repo a later
/// publication dropped no longer matches; filters and pages combine with a search.
/// </summary>
[Trait("Category", "Slow")] // starts PostgreSQL
public sealed class CatalogSearchTests : IDisposable
{
    private static readonly DateTime Start = new(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);

    private readonly TestDatabases _databases = new();

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_search_matches_text_and_repo_names_alike_on_both_databases(string kind)
    {
        var database = _databases.Open(kind);
        var catalog = new SqlReleaseCatalog(database, [new SqlGateIndex(database), new SqlRepoNameIndex()]);
        await catalog.PublishAsync(Publication(View("r-1", 0, "sprint 12", ["github/Auth-Service", "web-app"]), 1));
        await catalog.PublishAsync(Publication(View("r-2", 1, "100% done", ["billing_api"]) with { Status = ReleaseStatus.Approved }, 1));
        var third = View("r-3", 2, "sprint 13", ["billingxapi", "web-app"]);
        await catalog.PublishAsync(Publication(third, 1));
        await catalog.PublishAsync(Publication(third with { Repos = [.. third.Repos.Where(r => r.Name != "web-app")] }, 2)); // web-app left r-3

        async Task<string[]> Search(string text, ReleaseStatus? status = null) =>
            [.. (await catalog.ListAsync(new ReleaseQuery(status, Search: text))).Items.Select(s => s.Id)];

        Assert.Equal(["r-1"], await Search("AUTH-serv"));         // a repo name, any case, without its source prefix
        Assert.Equal(["r-1"], await Search("web-app"));           // r-3 no longer holds it
        Assert.Equal(["r-2"], await Search("billing_"));          // '_' is a character, not any character
        Assert.Equal(["r-2"], await Search("100%"));              // '%' too
        Assert.Equal(["r-2"], await Search("%"));
        Assert.Equal(["r-3", "r-1"], await Search("sprint 1"));   // the notes, newest first
        Assert.Equal(["r-3", "r-2", "r-1"], await Search("R-"));  // the ids
        Assert.Empty(await Search("sprint", ReleaseStatus.Approved));
        Assert.Equal(["r-2"], await Search("billing", ReleaseStatus.Approved));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Pages_of_a_search_follow_one_another_without_gaps_or_repeats(string kind)
    {
        var database = _databases.Open(kind);
        var catalog = new SqlReleaseCatalog(database, [new SqlGateIndex(database), new SqlRepoNameIndex()]);
        for (var i = 0; i < 5; i++)
        {
            await catalog.PublishAsync(Publication(View($"r-{i}", i, "weekly", [i % 2 == 0 ? "auth-service" : "web-app"]), 1));
        }

        var first = await catalog.ListAsync(new ReleaseQuery(Search: "auth", Limit: 2));
        Assert.Equal(["r-4", "r-2"], first.Items.Select(s => s.Id));
        var second = await catalog.ListAsync(new ReleaseQuery(Search: "auth", Limit: 2, Cursor: first.NextCursor));
        Assert.Equal(["r-0"], second.Items.Select(s => s.Id));
        Assert.Null(second.NextCursor);
    }

    private static ReleaseView View(string id, int minutes, string notes, string[] repos)
    {
        var actor = new Actor("carol", []);
        var release = new Release(new ReleaseState(), new ApprovalRoles(), TimeProvider.System);
        release.Create(id, new NewRelease("uat", "master"), actor,
            [.. repos.Select((name, i) => new RepoChange(name, 1, ["Alice"], $"{i + 1:x}{new string('a', 39)}", Source: name.StartsWith("github/") ? "github" : null))], []);
        release.EditText(actor, notes, null, null);
        return ReleaseView.From(release) with { CreatedAt = Start.AddMinutes(minutes) };
    }

    private static ReleasePublication Publication(ReleaseView view, long storageVersion) => new(view, [], [], null, storageVersion);

    public void Dispose() => _databases.Dispose();
}
