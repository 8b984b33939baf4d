// Big organisations (issue 17): a release over 300, 1,000 and 3,000 repos behind the fake GitHub.
// See docs/benchmarks.md.
//   dotnet run -c Release --project bench/ScaleBench -- [--repos 300,1000,3000] [--search-releases 10000] [--index-seconds 300] [--memory-releases 1000] [--postgres on|off]
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using OrleansReleases.Fakes;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Grains.Storage;
using OrleansReleases.Grains.Gate;
using OrleansReleases.Silo.Hosting;
using OrleansReleases.Tests.Support;

const string Org = "acme", Token = "ghp_scalebench", Secret = "whsec-scalebench";
const string handleIdle = "00:00:20"; // idle release grains leave memory after this here, so the memory run shows collection at work
string Arg(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
var sizes = Arg("--repos", "300,1000,3000").Split(',').Select(int.Parse).ToList();
var searchReleases = int.Parse(Arg("--search-releases", "10000"), CultureInfo.InvariantCulture);
var memoryReleases = int.Parse(Arg("--memory-releases", "1000"), CultureInfo.InvariantCulture);
var indexSeconds = int.Parse(Arg("--index-seconds", "300"), CultureInfo.InvariantCulture); // indexing stops here, and says how far it got
var withPostgres = Arg("--postgres", "on") == "on"; // the search also on a PostgreSQL started here (Debian's package, as the tests use)
var inv = CultureInfo.InvariantCulture;

Console.WriteLine($"| repos | create: requests (GraphQL) | refresh: requests | one push: requests | GET raw | GET br | GET gzip | live update |");
Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
WebAppHandle? last = null;
foreach (var size in sizes)
{
    await using var github = await FakeGitHub.StartAsync(Org, Token);
    for (var i = 0; i < size; i++)
    {
        github.AddRepo($"service-{i:0000}").Branch("uat").Commit("uat", "Alice Moreau", "alice", count: 1 + i % 3);
    }

    var handle = await StartAsync(github, keep: size == sizes[^1]);
    var client = handle.Client;
    long Requests() => github.Requests;
    int GraphQl() => github.RequestLog.Count(l => l.Contains("/graphql", StringComparison.Ordinal));

    var (r0, g0) = (Requests(), GraphQl());
    var created = await client.PostAsJsonAsync("/api/releases", new { sourceBranch = "uat", destBranch = "master" });
    created.EnsureSuccessStatusCode();
    var id = (string)(await created.Content.ReadFromJsonAsync<JsonNode>())!["id"]!;
    var (createRequests, createGraphQl) = (Requests() - r0, GraphQl() - g0);

    r0 = Requests();
    (await client.PostAsync($"/api/releases/{id}/refresh", null)).EnsureSuccessStatusCode();
    var refreshRequests = Requests() - r0;

    github.Repo("service-0001").Commit("uat", "Mallory Quick", "mallory");
    r0 = Requests();
    using (var hook = new HttpClient())
    {
        (await github.DeliverPushAsync(hook, new Uri(handle.BaseAddress, "/webhooks/github"), Secret, "service-0001", "uat")).EnsureSuccessStatusCode();
    }

    await handle.App.Services.GetRequiredService<BranchPushRefresher>().WhenIdleAsync();
    var pushRequests = Requests() - r0;

    var raw = (await client.GetByteArrayAsync($"/api/releases/{id}")).Length;
    async Task<int> CompressedAsync(string encoding)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/releases/{id}");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", encoding);
        using var response = await client.SendAsync(request);
        return (await response.Content.ReadAsByteArrayAsync()).Length;
    }

    var br = await CompressedAsync("br");
    var gzip = await CompressedAsync("gzip");

    // One change (a repo excluded) heard by a browser: the bytes of the releaseChanged payload.
    var hub = new HubConnectionBuilder().WithUrl(new Uri(handle.BaseAddress, "/hubs/releases"), o => o.Cookies = handle.Cookies).Build();
    var heard = new TaskCompletionSource<string>();
    hub.On<JsonNode>("releaseChanged", payload => { if ((string?)payload["id"] == id) heard.TrySetResult(payload.ToJsonString()); });
    await hub.StartAsync();
    await hub.InvokeAsync("JoinRelease", id);
    (await client.PatchAsJsonAsync($"/api/releases/{id}/repos/service-0002", new { excluded = true })).EnsureSuccessStatusCode();
    var live = System.Text.Encoding.UTF8.GetByteCount(await heard.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    await hub.DisposeAsync();

    Console.WriteLine(string.Create(inv,
        $"| {size:N0} | {createRequests} ({createGraphQl}) | {refreshRequests} | {pushRequests} | {raw / 1024.0:0} KB | {br / 1024.0:0.0} KB | {gzip / 1024.0:0.0} KB | {live:N0} B |"));
    if (size == sizes[^1])
    {
        // 20 pushes in 10 s to 10 repos (two each) while 2 releases of uat → master are open.
        (await client.PostAsJsonAsync("/api/releases", new { sourceBranch = "uat", destBranch = "master" })).EnsureSuccessStatusCode();
        var refresher = handle.App.Services.GetRequiredService<BranchPushRefresher>();
        await refresher.WhenIdleAsync();
        (r0, g0) = (Requests(), GraphQl());
        var burst = Stopwatch.StartNew();
        using (var hook = new HttpClient())
        {
            for (var p = 0; p < 20; p++)
            {
                var repo = $"service-{10 + p % 10:0000}";
                github.Repo(repo).Commit("uat", "Mallory Quick", "mallory");
                (await github.DeliverPushAsync(hook, new Uri(handle.BaseAddress, "/webhooks/github"), Secret, repo, "uat")).EnsureSuccessStatusCode();
                var due = TimeSpan.FromMilliseconds(500 * (p + 1)) - burst.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due);
                }
            }
        }

        await refresher.WhenIdleAsync();
        Console.WriteLine(string.Create(inv,
            $"20 pushes in {burst.Elapsed.TotalSeconds:0.0} s to 10 of {size:N0} repos, 2 open releases: {Requests() - r0} requests ({GraphQl() - g0} GraphQL)"));

        // The same organisation through REST only: the budget check before comparing.
        await using (var restOnly = await StartAsync(github, keep: false, "--Releases:GitHub:GraphQLBatchSize=0"))
        {
            r0 = Requests();
            var refused = await restOnly.Client.PostAsJsonAsync("/api/releases", new { sourceBranch = "uat", destBranch = "master" });
            var answer = await refused.Content.ReadFromJsonAsync<JsonNode>();
            Console.WriteLine(string.Create(inv,
                $"REST only, {size:N0} repos, {github.RateLimitRemaining:N0} of the window left: {(int)refused.StatusCode} after {Requests() - r0} requests: {answer?["detail"]}"));
        }

        last = handle with { ReleaseId = id };
    }
    else
    {
        await handle.DisposeAsync();
    }
}

// ---- list search over many releases of the largest size, on SQLite (the service's own file) and PostgreSQL ----
var services = last!.App.Services;
var grains = services.GetRequiredService<IGrainFactory>();
var view = (await grains.GetGrain<IReleaseGrain>(last.ReleaseId!).Get())!;
var searches = new (string Label, Func<int, ReleaseQuery> Query, Func<int, string> Url)[]
{
    ("status+branch filter, search in notes",
        i => new ReleaseQuery(ReleaseStatus.Pending, "uat", "master", $"sprint {i % 13}"),
        i => $"status=pending&source=uat&dest=master&search=sprint%20{i % 13}&limit=50"),
    ("status+branch filter, search by a repo name",
        i => new ReleaseQuery(ReleaseStatus.Pending, "uat", "master", $"service-{i % 3000:0000}"),
        i => $"status=pending&source=uat&dest=master&search=service-{i % 3000:0000}&limit=50"),
};

var sqlite = services.GetRequiredService<IReleaseDatabase>();
await FillAsync("SQLite", sqlite, services.GetRequiredService<IReleaseCatalog>());
foreach (var (label, query, url) in searches)
{
    await TimeAsync($"SQLite, GET /api/releases, {label}", async i => (await last.Client.GetAsync($"/api/releases?{url(i)}")).EnsureSuccessStatusCode());
    await TimeAsync($"SQLite, the catalog, {label}", i => services.GetRequiredService<IReleaseCatalog>().ListAsync(query(i)));
}

if (withPostgres)
{
    using var server = PostgresServer.Start();
    server.CreateDatabase("releases");
    var postgres = new PostgresDatabase(server.ConnectionString("releases"));
    postgres.EnsureCreated();
    var postgresCatalog = new SqlReleaseCatalog(postgres, [new SqlGateIndex(postgres), new SqlRepoNameIndex()]);
    await FillAsync("PostgreSQL", postgres, postgresCatalog);
    foreach (var (label, query, _) in searches)
    {
        await TimeAsync($"PostgreSQL, the catalog, {label}", i => postgresCatalog.ListAsync(query(i)));
    }
}

// Indexes searchReleases copies of the release: first through the catalog given, every writer
// included (gate rows, repo names), one transaction a release as the service publishes, for as long
// as --index-seconds allows: that is the indexing cost a release pays. The rest in bulk, so the
// search runs over the full count: each release's index row through a catalog without writers,
// then its gate rows copied from bench000000's by one SQL statement per 500 releases (same table,
// same index, same rows but the release id).
async Task FillAsync(string name, IReleaseDatabase database, IReleaseCatalog catalog)
{
    ReleaseView Copy(int i) => view with
    {
        Id = $"bench{i:D6}", CreatedAt = view.CreatedAt.AddSeconds(-i), Notes = $"batch {i % 97} sprint {i % 13}",
        Status = (ReleaseStatus)(i % 3), SourceBranch = i % 4 == 0 ? "dev" : "uat",
    };

    var seed = Stopwatch.StartNew();
    var firstHundred = TimeSpan.Zero;
    var indexed = 0;
    for (; indexed < searchReleases && seed.Elapsed.TotalSeconds < indexSeconds; indexed++)
    {
        await catalog.PublishAsync(new ReleasePublication(Copy(indexed), [], [], null, 1));
        if (indexed == 99)
        {
            firstHundred = seed.Elapsed;
        }
    }

    seed.Stop();
    var firstHundredNote = indexed > 100 ? string.Create(inv, $", the first 100 {firstHundred.TotalMilliseconds / 100:0.0} ms each") : "";
    Console.WriteLine(string.Create(inv,
        $"{name}, indexing through the catalog: {indexed:N0} of {searchReleases:N0} releases of {view.Repos.Count:N0} repos in {seed.Elapsed.TotalSeconds:0} s ({seed.Elapsed.TotalMilliseconds / Math.Max(1, indexed):0.0} ms each{firstHundredNote})"));
    if (indexed == searchReleases)
    {
        return;
    }

    var bulk = Stopwatch.StartNew();
    var rowsOnly = new SqlReleaseCatalog(database);
    for (var from = indexed; from < searchReleases; from += 500)
    {
        var to = Math.Min(searchReleases, from + 500);
        for (var i = from; i < to; i++)
        {
            await rowsOnly.PublishAsync(new ReleasePublication(Copy(i), [], [], null, 1));
        }

        await using var connection = database.Open();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var fill = connection.CreateCommand();
        fill.CommandText = """
            INSERT INTO release_gate (release_id, repo, repo_key, dest_branch, sha, is_excluded)
            SELECT i.id, g.repo, g.repo_key, g.dest_branch, g.sha, g.is_excluded
            FROM release_index i CROSS JOIN release_gate g
            WHERE g.release_id = 'bench000000' AND i.id >= @from AND i.id < @to;
            """;
        fill.With("from", $"bench{from:D6}").With("to", $"bench{to:D6}");
        await fill.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
        Console.Error.Write($"\r{name}, bulk fill: {to:N0} of {searchReleases:N0}");
    }

    if (database is PostgresDatabase)
    {
        await using var connection = database.Open();
        await using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE;"; // as autovacuum would soon after such a load
        await analyze.ExecuteNonQueryAsync();
    }

    Console.Error.WriteLine();
    Console.WriteLine(string.Create(inv,
        $"{name}, bulk fill: releases {indexed:N0} to {searchReleases:N0} in {bulk.Elapsed.TotalSeconds:0} s (index rows through the catalog, gate rows copied by SQL)"));
}

// 200 searches one after another (after 20 not counted, to warm up): p50 and p95.
async Task TimeAsync(string label, Func<int, Task> search)
{
    for (var i = 0; i < 20; i++)
    {
        await search(i);
    }

    var latencies = new List<double>();
    for (var i = 0; i < 200; i++)
    {
        var watch = Stopwatch.StartNew();
        await search(i);
        latencies.Add(watch.Elapsed.TotalMilliseconds);
    }

    latencies.Sort();
    Console.WriteLine(string.Create(inv,
        $"list, {label}, {searchReleases:N0} releases of {view.Repos.Count:N0} repos: p50 {latencies[100]:0.0} ms, p95 {latencies[190]:0.0} ms"));
}

// ---- memory after touching many big releases one after another ----
var repos = view.Repos.Select(r => new RepoChange(r.Name, r.CommitCount, r.Contributors, r.HeadSha, r.PrNumber, r.PrUrl, r.Source)).ToList();
var touched = Stopwatch.StartNew();
long peak = 0;
for (var i = 0; i < memoryReleases; i++)
{
    var grain = grains.GetGrain<IReleaseGrain>(ReleaseId.New());
    await grain.Create(new NewRelease("uat", "master"), new Actor("bench", [], "dev:bench"), repos, []);
    await grain.Get();
    if (i % 50 == 49)
    {
        GC.Collect();
        peak = Math.Max(peak, Process.GetCurrentProcess().WorkingSet64);
    }
}

touched.Stop();
GC.Collect();
GC.WaitForPendingFinalizers();
GC.Collect();
Console.WriteLine(string.Create(inv,
    $"memory: {memoryReleases:N0} releases of {repos.Count:N0} repos created and read one after another in {touched.Elapsed.TotalSeconds:0} s " +
    $"(Releases:IdleReleaseAfter={handleIdle}): peak working set {peak / 1048576.0:0} MiB, after {Process.GetCurrentProcess().WorkingSet64 / 1048576.0:0} MiB, managed heap {GC.GetTotalMemory(false) / 1048576.0:0} MiB"));
await last.DisposeAsync();

static async Task<WebAppHandle> StartAsync(FakeGitHub github, bool keep, params string[] extra)
{
    var data = Directory.CreateTempSubdirectory("releases-scale-");
    var app = await ReleasesApplication.BuildAsync(
    [
        "--urls=http://127.0.0.1:0",
        $"--Releases:DatabasePath={Path.Combine(data.FullName, "releases.db")}",
        $"--Releases:Cluster:SiloPort={FreePort.Next()}",
        "--Logging:LogLevel:Default=Warning",
        $"--Releases:GitHub:Organization={Org}",
        $"--Releases:GitHub:Token={Token}",
        $"--Releases:GitHub:ApiUrl={github.ApiUrl}",
        $"--Releases:GitHub:WebhookSecret={Secret}",
        "--Releases:GitHub:CommitStatuses=false",
        $"--Releases:IdleReleaseAfter={handleIdle}",
        .. extra,
    ]);
    await app.StartAsync();
    var cookies = new CookieContainer();
    var handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
    var client = new HttpClient(handler) { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromMinutes(10) };
    client.DefaultRequestHeaders.Add("X-Requested-With", "XMLHttpRequest");
    await client.GetAsync("/auth/dev-login?user=bench&roles=release-dev-lead&returnUrl=/");
    return new WebAppHandle(app, client, cookies, new Uri(app.Urls.First()), data, null);
}


sealed record WebAppHandle(WebApplication App, HttpClient Client, CookieContainer Cookies, Uri BaseAddress, DirectoryInfo Data, string? ReleaseId)
    : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Data.Delete(recursive: true); } catch (IOException) { }
    }
}
