// Benchmarks of OrleansReleases (see docs/benchmarks.md). One run measures everything side by side:
//   dotnet run -c Release --project bench/ServiceBench
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Grains.Storage;
using OrleansReleases.Silo.Hosting;

var data = Directory.CreateTempSubdirectory("releases-bench-");
Console.WriteLine($"OrleansReleases service benchmarks — {Environment.ProcessorCount} cores, data in {data.FullName}\n");

// ---- cold start to first answer ----
var coldStart = Stopwatch.StartNew();
var app = await ReleasesApplication.BuildAsync([
    "--urls=http://127.0.0.1:0", $"--Releases:DatabasePath={Path.Combine(data.FullName, "releases.db")}", "--demo",
    "--Releases:Cluster:SiloPort=21111", "--Logging:LogLevel:Default=Warning"]);
await app.StartAsync();
var baseUrl = new Uri(app.Urls.First());
using var probe = new HttpClient { BaseAddress = baseUrl };
(await probe.GetAsync("/readyz")).EnsureSuccessStatusCode();
coldStart.Stop();

// ---- a bare Kestrel endpoint answering constant JSON, the yardstick ----
var bareBuilder = WebApplication.CreateSlimBuilder();
bareBuilder.WebHost.UseUrls("http://127.0.0.1:0");
bareBuilder.Logging.ClearProviders();
var bare = bareBuilder.Build();
var constant = ""; // set below to the JSON of a real release, so both answers are the same size
bare.MapGet("/constant", () => Results.Content(constant, "application/json"));
await bare.StartAsync();

async Task<HttpClient> SignedInAsync(string user, string roles)
{
    var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
    var client = new HttpClient(handler) { BaseAddress = baseUrl };
    client.DefaultRequestHeaders.Add("X-Requested-With", "XMLHttpRequest");
    Require((await client.GetAsync($"/auth/dev-login?user={user}&roles={roles}")).StatusCode == HttpStatusCode.Redirect, "sign-in");
    return client;
}

var alice = await SignedInAsync("alice", "release-dev-lead");
var created = await alice.PostAsJsonAsync("/api/releases", new { sourceBranch = "uat", destBranch = "master" });
var releaseId = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!;
constant = await alice.GetStringAsync($"/api/releases/{releaseId}");
Console.WriteLine($"cold start to first ready answer (in-process build + silo + web host): {coldStart.Elapsed.TotalMilliseconds:F0} ms");

// ---- 1. GET /api/releases/{id} against the bare endpoint ----
static async Task<double> ThroughputAsync(HttpClient client, string path, int requests, int concurrency)
{
    for (var i = 0; i < 200; i++) (await client.GetAsync(path)).EnsureSuccessStatusCode(); // warm-up
    var next = 0;
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        while (Interlocked.Increment(ref next) <= requests)
        {
            using var response = await client.GetAsync(path);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
        }
    }));
    return requests / watch.Elapsed.TotalSeconds;
}

var bareClient = new HttpClient { BaseAddress = new Uri(bare.Urls.First()) };
var serviceRate = await ThroughputAsync(alice, $"/api/releases/{releaseId}", 20_000, 32);
var bareRate = await ThroughputAsync(bareClient, "/constant", 20_000, 32);
var meRate = await ThroughputAsync(alice, "/api/me", 20_000, 32);
Console.WriteLine($"\n1. GET /api/releases/{{id}}: {serviceRate:F0} req/s; bare Kestrel constant JSON: {bareRate:F0} req/s; ratio {serviceRate / bareRate:P0} (goal ≥ 50%)");
Console.WriteLine($"   where it goes: GET /api/me (sign-in and middleware, no grain) {meRate:F0} req/s = {meRate / bareRate:P0} of bare");

// ---- 2. list with a filter and a search over 10,000 releases ----
var catalog = app.Services.GetRequiredService<IReleaseCatalog>();
var view = await app.Services.GetRequiredService<IGrainFactory>().GetGrain<IReleaseGrain>(releaseId).Get();
var seed = Stopwatch.StartNew();
for (var i = 0; i < 10_000; i++)
{
    var copy = view! with
    {
        Id = $"bench{i:D6}", CreatedAt = view.CreatedAt.AddSeconds(-i), Notes = $"batch {i % 97} sprint {i % 13}",
        Status = (ReleaseStatus)(i % 3), SourceBranch = i % 4 == 0 ? "dev" : "uat",
    };
    await catalog.PublishAsync(new ReleasePublication(copy, [], [], null, 1));
}
seed.Stop();
var latencies = new List<double>();
for (var i = 0; i < 300; i++)
{
    var watch = Stopwatch.StartNew();
    (await alice.GetAsync($"/api/releases?status=pending&source=uat&dest=master&search=sprint%20{i % 13}&limit=50")).EnsureSuccessStatusCode();
    latencies.Add(watch.Elapsed.TotalMilliseconds);
}

latencies.Sort();
Console.WriteLine($"2. list, status+branch filter and search, 10,000 releases ({seed.Elapsed.TotalSeconds:F1} s to index): " +
                  $"p50 {latencies[150]:F1} ms, p95 {latencies[285]:F1} ms (goal ≤ 20 ms)");

// ---- 3. approval-to-browser latency with 200 SignalR clients ----
var listeners = new List<HubConnection>();
var arrivals = new System.Collections.Concurrent.ConcurrentBag<double>();
var clock = Stopwatch.StartNew();
double sentAt = 0;
var received = 0;
var allArrived = new TaskCompletionSource();
for (var i = 0; i < 200; i++)
{
    var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
    var login = new HttpClient(handler) { BaseAddress = baseUrl };
    Require((await login.GetAsync($"/auth/dev-login?user=watcher{i}")).StatusCode == HttpStatusCode.Redirect, "sign-in");
    var connection = new HubConnectionBuilder().WithUrl(new Uri(baseUrl, "/hubs/releases"), o => o.Cookies = handler.CookieContainer).Build();
    connection.On<JsonNode>("releaseChanged", _ =>
    {
        arrivals.Add(clock.Elapsed.TotalMilliseconds - Volatile.Read(ref sentAt));
        if (Interlocked.Increment(ref received) % 200 == 0) allArrived.TrySetResult();
    });
    await connection.StartAsync();
    await connection.InvokeAsync("JoinRelease", releaseId);
    listeners.Add(connection);
}

for (var round = 0; round < 20; round++)
{
    allArrived = new TaskCompletionSource();
    Volatile.Write(ref sentAt, clock.Elapsed.TotalMilliseconds);
    var path = $"/api/releases/{releaseId}/approve/dev";
    (round % 2 == 0 ? await alice.PostAsync(path, null) : await alice.DeleteAsync(path)).EnsureSuccessStatusCode();
    await allArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
}

var sorted = arrivals.Order().ToList();
Console.WriteLine($"3. approval to browser, 200 SignalR clients × 20 changes: p50 {sorted[sorted.Count / 2]:F1} ms, " +
                  $"p99 {sorted[(int)(sorted.Count * 0.99)]:F1} ms (goal p99 ≤ 50 ms; measured from sending the request)");
foreach (var connection in listeners) await connection.DisposeAsync();

// ---- 4. 1,000 concurrent changes to one release ----
var before = (int)JsonNode.Parse(await alice.GetStringAsync($"/api/releases/{releaseId}"))!["version"]!;
var burst = Stopwatch.StartNew();
var answers = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i =>
    alice.PatchAsJsonAsync($"/api/releases/{releaseId}", new { notes = $"change {i}" })));
burst.Stop();
var after = (int)JsonNode.Parse(await alice.GetStringAsync($"/api/releases/{releaseId}"))!["version"]!;
Console.WriteLine($"4. 1,000 concurrent changes to one release: {answers.Count(a => a.IsSuccessStatusCode)} answered 2xx, " +
                  $"version +{after - before} (none lost: {after - before == 1000}), {1000 / burst.Elapsed.TotalSeconds:F0} changes/s (goal ≥ 2,000/s)");

// ---- 5. idle memory ----
GC.Collect();
GC.WaitForPendingFinalizers();
GC.Collect();
using var self = Process.GetCurrentProcess();
Console.WriteLine($"5. idle memory after the runs: working set {self.WorkingSet64 / 1024 / 1024} MiB, managed heap {GC.GetTotalMemory(false) / 1024 / 1024} MiB " +
                  $"(this process also holds the benchmark's 200 closed clients); cold start above: {coldStart.Elapsed.TotalMilliseconds:F0} ms");

await bare.StopAsync();
await app.StopAsync();

static void Require(bool condition, string what)
{
    if (!condition)
    {
        throw new InvalidOperationException($"{what} failed");
    }
}
