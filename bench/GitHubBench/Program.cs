using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Octokit;
using Octokit.Internal;
using OrleansReleases.Fakes;
using OrleansReleases.Silo.Hosting;
using static Bench;

// Creating a release over a GitHub organisation, against the fake GitHub with a fixed latency per
// request, next to a plain serial Octokit loop doing the same work. See docs/benchmarks.md.
//   dotnet run -c Release --project bench/GitHubBench -- [--repos 300] [--latency-ms 50] [--parallelism 64] [--graphql-batch 25]
var settings = Settings.Parse(args);

await using var github = await FakeGitHub.StartAsync(Org, Token);
for (var i = 0; i < settings.Repos; i++)
{
    // Every repo has uat ahead of master (the most work: a compare and a pull-request lookup each),
    // by one to three authors; every fifth has an open pull request.
    var repo = github.AddRepo($"service-{i:000}").Branch("uat");
    repo.Commit("uat", "Alice Moreau", "alice", count: 1 + i % 3);
    if (i % 2 == 0)
    {
        repo.Commit("uat", "Bob Okafor", login: null);
    }

    if (i % 5 == 0)
    {
        repo.OpenPullRequest("uat", "master");
    }

    // A few repos also have a branch for the warm-up run, so it takes every code path once.
    if (i % 30 == 0)
    {
        repo.Branch("warm-up").Commit("warm-up", "Carol Jensen", "carol");
        repo.OpenPullRequest("warm-up", "master");
    }
}

github.Latency = TimeSpan.FromMilliseconds(settings.LatencyMs);
var roundTrip = await MeasureRoundTripAsync(github.ApiUrl, Token);

var rows = new List<Row>();
rows.AddRange(await RunServiceAsync(github, settings, graphQLBatchSize: 0, "REST"));
rows.AddRange(await RunServiceAsync(github, settings, settings.BatchSize, $"GraphQL, {settings.BatchSize} repos a query"));
var (serial, _) = await MeasureAsync(github, () => SerialOctokitLoopAsync(github.ApiUrl, Token, Org));
rows.Add(serial with { Name = "plain serial Octokit loop" });

Console.WriteLine();
Console.WriteLine($"{settings.Repos} repos (all changed, every fifth with an open pull request), {settings.LatencyMs} ms latency per request, " +
    $"Parallelism {settings.Parallelism}; one round-trip measured: {roundTrip.TotalMilliseconds:0.0} ms");
Console.WriteLine("(rate limit used: REST requests counted by GitHub; 304s and GraphQL queries are not, GraphQL has its own window)");
Console.WriteLine();
Console.WriteLine("| run | time | round-trips (time / one round-trip) | requests | of them 304 | rate limit used |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
foreach (var row in rows)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {row.Name} | {row.Time.TotalSeconds:0.00} s | {row.Time / roundTrip:0.0} | {row.Requests} | {row.NotModified} | {row.RateLimitUsed} |"));
}

// The service (its own data folder) over the fake: a warm-up release, then the measured create and refresh.
static async Task<IReadOnlyList<Row>> RunServiceAsync(FakeGitHub github, Settings settings, int graphQLBatchSize, string mode)
{
    var data = Path.Combine(Path.GetTempPath(), "orleans-releases-bench", Guid.NewGuid().ToString("N"));
    Directory.CreateDirectory(data);
    try
    {
        var app = await ReleasesApplication.BuildAsync(
        [
            "--urls=http://127.0.0.1:0",
            $"--Releases:DatabasePath={Path.Combine(data, "releases.db")}",
            $"--Releases:Cluster:SiloPort={FreePort()}",
            "--Logging:LogLevel:Default=Warning",
            $"--Releases:GitHub:Organization={Org}",
            $"--Releases:GitHub:Token={Token}",
            $"--Releases:GitHub:ApiUrl={github.ApiUrl}",
            $"--Releases:GitHub:Parallelism={settings.Parallelism}",
            $"--Releases:GitHub:GraphQLBatchSize={graphQLBatchSize}",
            // This benchmark measures comparing; commit statuses would add their POSTs to its counts.
            "--Releases:GitHub:CommitStatuses=false",
        ]);
        await app.StartAsync();
        try
        {
            var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
            using var client = new HttpClient(handler) { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromMinutes(10) };
            client.DefaultRequestHeaders.Add("X-Requested-With", "XMLHttpRequest");
            await client.GetAsync("/auth/dev-login?user=bench&returnUrl=/");

            // Warm-up on a branch few repos have: the same listing, compare and pull-request code runs
            // once, so the measured run does not pay for JIT compilation. It leaves the repo list's
            // ETags behind (three 304s in the measured run); the compares of uat are all new.
            (await client.PostAsJsonAsync("/api/releases", new { sourceBranch = "warm-up", destBranch = "master" })).EnsureSuccessStatusCode();

            var (create, id) = await MeasureAsync(github, async () =>
            {
                var response = await client.PostAsJsonAsync("/api/releases", new { sourceBranch = "uat", destBranch = "master" });
                response.EnsureSuccessStatusCode();
                var release = await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonNode>();
                if (release!["repos"]!.AsArray().Count != settings.Repos || release["warnings"]!.AsArray().Count != 0)
                {
                    throw new InvalidOperationException($"The release is not complete: {release.ToJsonString()[..500]}");
                }

                return (string)release["id"]!;
            });

            var (refresh, _) = await MeasureAsync(github, async () =>
            {
                (await client.PostAsync($"/api/releases/{id}/refresh", null)).EnsureSuccessStatusCode();
                return "";
            });

            return [create with { Name = $"service ({mode}): create release" }, refresh with { Name = $"service ({mode}): refresh, nothing changed" }];
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
    finally
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(data, recursive: true);
    }
}

static async Task<(Row Row, T Result)> MeasureAsync<T>(FakeGitHub github, Func<Task<T>> run)
{
    var (requests, notModified, remaining) = (github.Requests, github.NotModified, github.RateLimitRemaining);
    var watch = Stopwatch.StartNew();
    var result = await run();
    watch.Stop();
    return (new Row("", watch.Elapsed, github.Requests - requests, github.NotModified - notModified, remaining - github.RateLimitRemaining), result);
}

// What a script would do without this service: list the organisation, then for each repo compare
// the branches and look for the pull request, one request after another.
static async Task<string> SerialOctokitLoopAsync(Uri apiUrl, string token, string org)
{
    var client = new GitHubClient(new Connection(new ProductHeaderValue("bench"), apiUrl, new InMemoryCredentialStore(new Credentials(token))));
    var changed = 0;
    foreach (var repo in await client.Repository.GetAllForOrg(org, new ApiOptions { PageSize = 100 }))
    {
        if (repo.Archived)
        {
            continue;
        }

        try
        {
            var comparison = await client.Repository.Commit.Compare(org, repo.Name, "master", "uat");
            if (comparison.AheadBy > 0)
            {
                changed++;
                await client.PullRequest.GetAllForRepository(org, repo.Name,
                    new PullRequestRequest { State = ItemStateFilter.Open, Head = $"{org}:uat", Base = "master" });
            }
        }
        catch (NotFoundException)
        {
        }
    }

    return changed.ToString(CultureInfo.InvariantCulture);
}

// The median of a few single requests, as the unit the times are divided by.
static async Task<TimeSpan> MeasureRoundTripAsync(Uri apiUrl, string token)
{
    using var http = new HttpClient { BaseAddress = apiUrl };
    http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("token", token);
    var times = new List<TimeSpan>();
    for (var i = 0; i < 11; i++)
    {
        var watch = Stopwatch.StartNew();
        (await http.GetAsync("orgs/acme/repos?per_page=1")).EnsureSuccessStatusCode();
        times.Add(watch.Elapsed);
    }

    return times.Skip(1).Order().ElementAt(5);
}

static int FreePort()
{
    using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

internal static class Bench
{
    public const string Org = "acme";
    public const string Token = "ghp_bench-token";
}

internal sealed record Row(string Name, TimeSpan Time, long Requests, long NotModified, int RateLimitUsed);

internal sealed record Settings(int Repos, int LatencyMs, int Parallelism, int BatchSize)
{
    public static Settings Parse(string[] args)
    {
        int Value(string name, int fallback)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
        }

        return new Settings(Value("--repos", 300), Value("--latency-ms", 50), Value("--parallelism", 64), Value("--graphql-batch", 25));
    }
}
