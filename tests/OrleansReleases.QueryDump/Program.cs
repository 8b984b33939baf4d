using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrleansReleases.Fakes;
using OrleansReleases.Grains.Sources.GitHub;
using OrleansReleases.Grains.Storage;

// The C# side of the GitHub contract suite (tests/contracts/github). Every command prints JSON on stdout.
//   graphql                          the GraphQL queries GitHubBatchComparer sends, for batches with awkward names
//   rest-calls                       GitHubRestCalls.All: each REST call, its query parameters and the fields read
//   record                           the requests GitHubSource makes against the fake GitHub (REST and GraphQL modes)
//   fake-github PORT ORG TOKEN       the fake GitHub on 127.0.0.1:PORT until killed, seeded over POST /_fake/*
var json = new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
switch (args.FirstOrDefault())
{
    case "graphql":
        Console.WriteLine(JsonSerializer.Serialize(AwkwardBatches().Select(b => new
        {
            b.Description,
            Query = GitHubBatchComparer.Query(b.Org, b.Repos, b.Source, b.Dest),
        }), json));
        return 0;
    case "rest-calls":
        Console.WriteLine(JsonSerializer.Serialize(GitHubRestCalls.All, json));
        return 0;
    case "record":
        Console.WriteLine(JsonSerializer.Serialize(await RecordAsync(), json));
        return 0;
    case "fake-github" when args.Length == 4 && int.TryParse(args[1], out var port):
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (var fake = await FakeGitHub.StartAsync(args[2], args[3], port, (app, fake) =>
        {
            MapSeeding(app, fake);
            // SIGTERM and Ctrl+C stop the web host (its console lifetime), which ends this command.
            app.Lifetime.ApplicationStopping.Register(() => stopping.TrySetResult());
        }))
        {
            Console.WriteLine($"fake GitHub listening on {fake.ApiUrl}");
            await stopping.Task;
        }

        return 0;
    default:
        Console.Error.WriteLine("usage: QueryDump graphql | rest-calls | record | fake-github PORT ORG TOKEN");
        return 2;
}

static IEnumerable<(string Description, string Org, string[] Repos, string Source, string Dest)> AwkwardBatches()
{
    yield return ("one plain repo", "acme", ["auth-service"], "uat", "master");
    yield return ("a full batch of 25", "acme", [.. Enumerable.Range(0, 25).Select(i => $"svc-{i:00}")], "uat", "master");
    yield return ("dots, dashes, underscores, names starting with digits", "acme-corp",
        ["my.repo", "1password-tool", "007", "a_b-c.d", "-dash-first", ".dotfiles", "UPPER.case"], "release/2026.1", "main");
    yield return ("quotes and backslashes in branch names", "acme",
        ["repo"], "feature/\"quoted\"", "back\\slash");
    yield return ("unicode, emoji and escapes in branch names", "acme",
        ["repo", "other"], "fonctionnalité/été-☃-🚀", "main\u2028line\ttab\u0001");
    yield return ("GraphQL-looking text in names", "acme",
        ["repo"], "x\") { __typename } y: repository(owner: \"z", "#{not} $interpolated ... on Ref");
}

static async Task<object> RecordAsync()
{
    var runs = new List<object>();
    foreach (var batchSize in new[] { 0, 25 })
    {
        foreach (var (source, dest) in new[] { ("uat", "master"), ("release/2026.1-ü#rc", "main.v2") })
        {
            await using var fake = await FakeGitHub.StartAsync("acme", "ghp_record");
            Seed(fake, source, dest);
            var folder = Directory.CreateTempSubdirectory("querydump-");
            try
            {
                var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Organization"] = "acme",
                    ["Token"] = "ghp_record",
                    ["ApiUrl"] = fake.ApiUrl.ToString(),
                    ["RetryDelay"] = "00:00:00.010",
                    ["GraphQLBatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
                }).Build();
                var database = new SqliteDatabase(Path.Combine(folder.FullName, "releases.db"));
                database.EnsureCreated();
                var services = new ServiceCollection();
                services.AddLogging(logging => logging.ClearProviders());
                services.AddSingleton(TimeProvider.System);
                services.AddSingleton(database);
                services.AddSingleton<IReleaseDatabase>(database);
                services.AddGitHubSource(GitHubOptions.Read(configuration));
                await using (var provider = services.BuildServiceProvider())
                {
                    var result = await provider.GetRequiredService<GitHubSource>().CompareAsync(source, dest, null, CancellationToken.None);
                    runs.Add(new
                    {
                        BatchSize = batchSize,
                        Source = source,
                        Dest = dest,
                        Changed = result.Changed.Select(c => c.Name),
                        result.Warnings,
                        Requests = fake.RequestLog,
                    });
                }
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                folder.Delete(recursive: true);
            }
        }
    }

    return runs;
}

// Every kind of repo the source meets: many commits, forks' pull requests, unrelated histories,
// missing branches, archived and disabled repos, names with dots and digits.
static void Seed(FakeGitHub fake, string source, string dest)
{
    FakeRepo Repo(string name) => fake.AddRepo(name).Branch(dest).Branch(source, dest);
    Repo("monolith").Commit(source, "Alice", "alice", 300).Commit(source, "Bob", null, 320);
    var forked = Repo("forked.repo").Commit(source, "Carol", "carol");
    forked.OpenPullRequestFromFork("mallory", source, dest);
    forked.OpenPullRequest(source, dest);
    Repo("1st-service").Commit(source, "Dan", "dan");
    fake.AddRepo("rewritten").Branch(dest).Orphan(source).Commit(source, "Erin", "erin");
    fake.AddRepo("no-source").Branch(dest);
    fake.AddRepo("no-dest").Branch(source).DeleteBranch(dest);
    Repo("archived").Commit(source, "Frank", "frank").Archived = true;
    Repo("disabled").Commit(source, "Grace", "grace").Disabled = true;
}

// The standalone fake's seeding endpoints (outside GitHub's API; no token, no rate limit):
//   POST /_fake/repos { name, archived?, disabled?, branches: [{ name, from?, orphan?, commits: [{ author, login?, count? }] }],
//                       pulls: [{ head, base, forkOwner? }] }      → { name, heads: { branch: sha } }
//   POST /_fake/repos/{name}/commits { branch, author, login?, count? } → { head }
static void MapSeeding(WebApplication app, FakeGitHub fake)
{
    app.MapPost("/_fake/repos", (SeedRepo seed) =>
    {
        var repo = fake.AddRepo(seed.Name);
        foreach (var branch in seed.Branches ?? [])
        {
            if (branch.Orphan)
            {
                repo.Orphan(branch.Name);
            }
            else if (branch.Name != "master" || branch.From is not null)
            {
                repo.Branch(branch.Name, branch.From ?? "master");
            }

            foreach (var commit in branch.Commits ?? [])
            {
                repo.Commit(branch.Name, commit.Author, commit.Login, commit.Count ?? 1);
            }
        }

        foreach (var pull in seed.Pulls ?? [])
        {
            _ = pull.ForkOwner is { } owner ? repo.OpenPullRequestFromFork(owner, pull.Head, pull.Base) : repo.OpenPullRequest(pull.Head, pull.Base);
        }

        repo.Archived = seed.Archived;
        repo.Disabled = seed.Disabled;
        var heads = (seed.Branches ?? []).Select(b => b.Name).Append("master").Distinct().ToDictionary(b => b, repo.HeadOf);
        return Results.Json(new { name = repo.Name, heads }, statusCode: 201);
    });
    app.MapPost("/_fake/repos/{name}/commits", (string name, SeedCommit commit) =>
    {
        var repo = fake.Repo(name).Commit(commit.Branch!, commit.Author, commit.Login, commit.Count ?? 1);
        return Results.Json(new { head = repo.HeadOf(commit.Branch!) });
    });
}

internal sealed record SeedRepo(string Name, bool Archived, bool Disabled, SeedBranch[]? Branches, SeedPull[]? Pulls);

internal sealed record SeedBranch(string Name, string? From, bool Orphan, SeedCommit[]? Commits);

internal sealed record SeedCommit(string Author, string? Login, int? Count, string? Branch = null);

internal sealed record SeedPull(string Head, string Base, string? ForkOwner);
