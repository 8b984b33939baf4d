using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrleansReleases.Fakes;
using OrleansReleases.Grains.CommitStatuses;
using OrleansReleases.Grains.Sources;
using OrleansReleases.Grains.Sources.GitHub;
using OrleansReleases.Grains.Storage;

// The C# side of the GitHub contract suite (tests/contracts/github). Every command prints JSON on stdout.
//   graphql                          the GraphQL queries GitHubBatchComparer sends, for batches with awkward names
//   rest-calls                       GitHubRestCalls.All: each REST call, its query parameters and the fields read
//   record                           the requests the service makes against the fake GitHub, run by run, each run naming
//                                    its caller: GitHubSource (REST and GraphQL modes), GitHubCommitReader (commit
//                                    pages, a branch, combined status, check runs) and GitHubStatusPoster (statuses)
//   fake-github PORT ORG TOKEN       the fake GitHub on 127.0.0.1:PORT until killed, seeded over POST /_fake/*
var json = new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
json.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
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
                await using (var provider = GitHubServices(fake, folder, batchSize).BuildServiceProvider())
                {
                    var result = await provider.GetRequiredService<GitHubSource>().CompareAsync(source, dest, null, CancellationToken.None);
                    runs.Add(new
                    {
                        Caller = nameof(GitHubSource),
                        BatchSize = batchSize,
                        Source = source,
                        Dest = dest,
                        Changed = result.Changed.Select(c => c.Name),
                        result.Warnings,
                        Requests = fake.RequestLog,
                        Bodies = fake.RequestBodies,
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

    foreach (var (source, dest) in new[] { ("uat", "master"), ("release/2026.1-ü#rc", "main.v2") })
    {
        runs.AddRange(await RecordWhatShipsAsync(source, dest));
    }

    return runs;
}

// The GitHub source's services over the fake, as the silo registers them, with a SQLite database
// in folder; graphQlBatchSize null: the setting's default.
static ServiceCollection GitHubServices(FakeGitHub fake, DirectoryInfo folder, int? graphQlBatchSize = null)
{
    var settings = new Dictionary<string, string?>
    {
        ["Organization"] = "acme",
        ["Token"] = "ghp_record",
        ["ApiUrl"] = fake.ApiUrl.ToString(),
        ["RetryDelay"] = "00:00:00.010",
    };
    if (graphQlBatchSize is { } size)
    {
        settings["GraphQLBatchSize"] = size.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    var database = new SqliteDatabase(Path.Combine(folder.FullName, "releases.db"));
    database.EnsureCreated();
    var services = new ServiceCollection();
    services.AddLogging(logging => logging.ClearProviders());
    services.AddSingleton(TimeProvider.System);
    services.AddSingleton(database);
    services.AddSingleton<IReleaseDatabase>(database);
    services.AddGitHubSource(GitHubOptions.Read(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()));
    return services;
}

// The "what ships" readers and the commit-status poster, each against its own fake: a commit list of
// many pages (by base branch and by base sha), one that has no common history, a branch that exists
// and one that does not, the checks of a commit with CI statuses, check runs and this service's own
// statuses (every state the poster sends), and of a commit GitHub does not have.
static async Task<List<object>> RecordWhatShipsAsync(string source, string dest)
{
    await using var fake = await FakeGitHub.StartAsync("acme", "ghp_record");
    Seed(fake, source, dest);
    var folder = Directory.CreateTempSubdirectory("querydump-");
    try
    {
        var services = GitHubServices(fake, folder);
        services.AddSingleton<GitHubCommitReader>();
        services.AddSingleton<GitHubStatusPoster>();
        await using var provider = services.BuildServiceProvider();
        var reader = provider.GetRequiredService<GitHubCommitReader>();
        var poster = provider.GetRequiredService<GitHubStatusPoster>();
        var monolith = fake.Repo("monolith");
        var head = monolith.HeadOf(source);
        var runs = new List<object>();

        var (logFrom, bodiesFrom) = (fake.RequestLog.Count, fake.RequestBodies.Count);
        object Run(string caller, object result)
        {
            var run = new
            {
                Caller = caller,
                Source = source,
                Dest = dest,
                Result = result,
                Requests = fake.RequestLog.Skip(logFrom).ToList(),
                Bodies = fake.RequestBodies.Skip(bodiesFrom).ToList(),
            };
            (logFrom, bodiesFrom) = (fake.RequestLog.Count, fake.RequestBodies.Count);
            return run;
        }

        // This service's own statuses: every state the poster can send, the last one failing.
        foreach (var state in new[] { CommitStatusRules.Pending, CommitStatusRules.Success, "unknown", CommitStatusRules.Failure })
        {
            await poster.PostAsync(new DesiredStatus("monolith", head, "release-gate/" + source, state,
                $"Release {state}", "https://releases.example.com/releases/1"));
        }

        runs.Add(Run(nameof(GitHubStatusPoster), new
        {
            Posted = fake.Statuses("monolith", head).Select(s => new { s.Context, s.State, s.Description, s.TargetUrl }),
        }));

        fake.SetStatus("monolith", head, "ci/build", "success");
        fake.SetCheckRun("monolith", head, "tests", "completed", "success");
        var byBranch = await reader.ListCommitsAsync("monolith", BranchRef.Of(dest), head, 250, CancellationToken.None);
        var bySha = await reader.ListCommitsAsync("monolith", monolith.HeadOf(dest), head, 30, CancellationToken.None);
        var unrelated = await reader.ListCommitsAsync("rewritten", BranchRef.Of(dest), fake.Repo("rewritten").HeadOf(source), 30, CancellationToken.None);
        var branchHead = await reader.ResolveBranchAsync("monolith", source, CancellationToken.None);
        var missingBranch = await reader.ResolveBranchAsync("monolith", "no-such-branch", CancellationToken.None);
        var checks = await reader.ReadChecksAsync("monolith", head, CancellationToken.None);
        var unknownCommit = await reader.ReadChecksAsync("monolith", new string('f', 40), CancellationToken.None);
        runs.Add(Run(nameof(GitHubCommitReader), new
        {
            ByBranch = new { byBranch!.Total, Listed = byBranch.Commits.Count, Newest = byBranch.Commits[0].Sha },
            BySha = new { bySha!.Total, Listed = bySha.Commits.Count, Newest = bySha.Commits[0].Sha },
            Unrelated = unrelated is null ? null : "listed",
            Head = head,
            BranchHead = branchHead,
            MissingBranch = missingBranch,
            Checks = new { checks.State, checks.Failing },
            UnknownCommit = new { unknownCommit.State, unknownCommit.Failing },
        }));
        return runs;
    }
    finally
    {
        SqliteConnection.ClearAllPools();
        folder.Delete(recursive: true);
    }
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
//   POST /_fake/repos/{name}/statuses { sha, context, state }      → 204 (a CI system's status)
//   POST /_fake/repos/{name}/check-runs { sha, name, status, conclusion? } → 204
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
    app.MapPost("/_fake/repos/{name}/statuses", (string name, SeedStatus status) =>
    {
        fake.SetStatus(name, status.Sha, status.Context, status.State);
        return Results.NoContent();
    });
    app.MapPost("/_fake/repos/{name}/check-runs", (string name, SeedCheckRun run) =>
    {
        fake.SetCheckRun(name, run.Sha, run.Name, run.Status, run.Conclusion);
        return Results.NoContent();
    });
}

internal sealed record SeedRepo(string Name, bool Archived, bool Disabled, SeedBranch[]? Branches, SeedPull[]? Pulls);

internal sealed record SeedBranch(string Name, string? From, bool Orphan, SeedCommit[]? Commits);

internal sealed record SeedCommit(string Author, string? Login, int? Count, string? Branch = null);

internal sealed record SeedPull(string Head, string Base, string? ForkOwner);

internal sealed record SeedStatus(string Sha, string Context, string State);

internal sealed record SeedCheckRun(string Sha, string Name, string Status, string? Conclusion);
