using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using OrleansReleases.Fakes;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Tests.GitHub;
using OrleansReleases.Tests.Support;
using static OrleansReleases.Tests.Support.ApiClient;

namespace OrleansReleases.Tests.WhatShips;

/// <summary>
/// Over the fake GitHub: the CI checks of each head (statuses and check runs, not the service's own
/// release-gate statuses), each state and each setting of <c>Releases:Gate:Checks</c>, the three
/// webhooks that update them, and the commits (with GitHub URLs, readable after the branch is
/// deleted once read) and the notes draft of a GitHub repo. Each test uses branches of its own.
/// Run with GraphQL batches (the default: the checks and the base come with the comparison) and,
/// by <see cref="GitHubChecksRestTests"/>, through REST only.
/// </summary>
public class GitHubChecksTests : IAsyncLifetime
{
    /// <summary><c>Releases:GitHub:GraphQLBatchSize</c>: 0 compares through REST only.</summary>
    protected virtual int GraphQLBatchSize => 25;

    private const string Secret = GitHubServiceFixture.WebhookSecret;
    private readonly TempFolder _folder = TempFolder.Create();
    private readonly List<ServiceHost> _hosts = [];
    private FakeGitHub _github = null!;

    public async Task InitializeAsync()
    {
        _github = await FakeGitHub.StartAsync("acme", GitHubServiceFixture.Token);
        _github.AddRepo("auth-service");
        _github.AddRepo("api-gateway");
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        await _github.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private async Task<ServiceHost> StartAsync(string? rule = null)
    {
        var settings = new List<string>
        {
            "Releases:GitHub:Organization=acme",
            $"Releases:GitHub:Token={GitHubServiceFixture.Token}",
            $"Releases:GitHub:ApiUrl={_github.ApiUrl}",
            $"Releases:GitHub:WebhookSecret={Secret}",
            "Releases:GitHub:CommitStatuses=false",
            "Releases:GitHub:RetryDelay=00:00:00.010",
            $"Releases:GitHub:GraphQLBatchSize={GraphQLBatchSize}",
        };
        if (rule is not null)
        {
            settings.Add($"Releases:Gate:Checks={rule}");
        }

        var host = await ServiceHost.StartAsync(_folder.Folder($"data-{_hosts.Count}"), [.. settings]);
        _hosts.Add(host);
        return host;
    }

    private static async Task DeliveredAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static JsonNode RepoOf(JsonNode release, string name) =>
        release["repos"]!.AsArray().Single(r => (string?)r!["name"] == name)!;

    /// <summary>A branch with one commit in each repo; returns the heads.</summary>
    private (string Auth, string Gateway) Branch(string branch)
    {
        _github.Repo("auth-service").Branch(branch).Commit(branch, "Alice Moreau", "alice");
        _github.Repo("api-gateway").Branch(branch).Commit(branch, "Carol Jensen", "carol");
        return (_github.Repo("auth-service").HeadOf(branch), _github.Repo("api-gateway").HeadOf(branch));
    }

    [Fact]
    public async Task Checks_read_each_state_from_statuses_and_check_runs_without_the_services_own_statuses()
    {
        var host = await StartAsync();
        var (auth, gateway) = Branch("rc-states");
        _github.SetStatus("auth-service", auth, "ci/build", "success");
        _github.SetCheckRun("auth-service", auth, "test", "completed", "failure");
        _github.SetCheckRun("auth-service", auth, "lint", "completed", "success");
        _github.SetStatus("auth-service", auth, "release-gate/master", "pending", "release-bot"); // ours: not a check
        _github.SetStatus("api-gateway", gateway, "release-gate/master", "pending", "release-bot");
        using var alice = await host.SignedInAsync("alice");

        var release = await alice.CreateReleaseAsync("rc-states", "master");

        var checks = RepoOf(release, "auth-service")["checks"]!;
        Assert.Equal("failure", (string?)checks["state"]);
        Assert.Equal(["test"], checks["failing"]!.AsArray().Select(f => (string)f!));
        Assert.Equal($"{_github.ApiUrl}acme/auth-service/commit/{auth}/checks", (string?)checks["url"]);
        Assert.Equal("none", (string?)RepoOf(release, "api-gateway")["checks"]!["state"]);

        _github.SetCheckRun("auth-service", auth, "test", "in_progress");
        _github.SetStatus("api-gateway", gateway, "ci/build", "success");
        var refreshed = await ExpectJsonAsync(await alice.PostAsync($"/api/releases/{release["id"]}/refresh"), HttpStatusCode.OK);
        Assert.Equal("pending", (string?)RepoOf(refreshed, "auth-service")["checks"]!["state"]);
        Assert.Empty(RepoOf(refreshed, "auth-service")["checks"]!["failing"]!.AsArray());
        Assert.Equal("success", (string?)RepoOf(refreshed, "api-gateway")["checks"]!["state"]);
    }

    [Fact]
    public async Task A_failing_check_blocks_approval_until_a_webhook_says_it_turned_green()
    {
        var host = await StartAsync();
        var (auth, gateway) = Branch("rc-green");
        var run = _github.SetCheckRun("auth-service", auth, "build", "completed", "failure");
        _github.SetStatus("api-gateway", gateway, "ci/lint", "error");
        using var alice = await host.SignedInAsync("alice");
        using var dana = await host.SignedInAsync("dana", DevLead);
        var release = await alice.CreateReleaseAsync("rc-green", "master");
        var id = (string)release["id"]!;
        Assert.Equal("No approval while checks fail in api-gateway (ci/lint); auth-service (build).", (string?)release["approvalBlockedByChecks"]);

        var refused = await ExpectProblemAsync(await dana.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.Conflict);
        Assert.Contains("auth-service (build)", (string?)refused["detail"]);
        Assert.Contains("api-gateway (ci/lint)", (string?)refused["detail"]);

        // check_run: the build passes.
        run = _github.SetCheckRun("auth-service", auth, "build", "completed", "success");
        using var http = new HttpClient();
        var hook = new Uri(host.BaseAddress, "/webhooks/github");
        await DeliveredAsync(await _github.DeliverCheckRunAsync(http, hook, Secret, "auth-service", auth, run));
        await host.Service<ChecksRefresher>().WhenIdleAsync();
        var after = await alice.GetJsonAsync($"/api/releases/{id}");
        Assert.Equal("success", (string?)RepoOf(after, "auth-service")["checks"]!["state"]);
        Assert.True((long)after["version"]! > (long)release["version"]!);
        var entry = (await alice.GetJsonAsync($"/api/releases/{id}/history")).AsArray().Last()!;
        Assert.Equal("checks-updated", (string?)entry["action"]);
        Assert.Equal("github-webhook", (string?)entry["actor"]);
        await ExpectProblemAsync(await dana.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.Conflict); // the gateway still fails

        // status: the lint passes. Our own release-gate statuses are ignored.
        _github.SetStatus("api-gateway", gateway, "ci/lint", "success");
        await DeliveredAsync(await _github.DeliverStatusAsync(http, hook, Secret, "api-gateway", gateway, "ci/lint", "success"));
        await host.Service<ChecksRefresher>().WhenIdleAsync();
        var green = await alice.GetJsonAsync($"/api/releases/{id}");
        Assert.Equal("success", (string?)RepoOf(green, "api-gateway")["checks"]!["state"]);
        Assert.Null(green["approvalBlockedByChecks"]);

        var approved = await ExpectJsonAsync(await dana.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.OK);
        Assert.NotNull(approved["devApproval"]);

        // check_suite: a new failure shows (it does not dismiss the approval given).
        _github.SetCheckRun("auth-service", auth, "deploy-preview", "completed", "timed_out");
        await DeliveredAsync(await _github.DeliverCheckSuiteAsync(http, hook, Secret, "auth-service", auth, "timed_out"));
        await host.Service<ChecksRefresher>().WhenIdleAsync();
        var red = await alice.GetJsonAsync($"/api/releases/{id}");
        Assert.Equal(["deploy-preview"], RepoOf(red, "auth-service")["checks"]!["failing"]!.AsArray().Select(f => (string)f!));
        Assert.NotNull(red["devApproval"]);
    }

    [Fact]
    public async Task Require_success_also_blocks_pending_checks_and_off_ignores_them()
    {
        var strict = await StartAsync("require-success");
        var (auth, _) = Branch("rc-strict");
        _github.SetCheckRun("auth-service", auth, "build", "queued");
        using (var alice = await strict.SignedInAsync("alice"))
        using (var dana = await strict.SignedInAsync("dana", DevLead))
        {
            var id = (string)(await alice.CreateReleaseAsync("rc-strict", "master"))["id"]!;
            var refused = await ExpectProblemAsync(await dana.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.Conflict);
            Assert.Equal("No approval while checks are still running in auth-service.", (string?)refused["detail"]);
        }

        var lenient = await StartAsync("block-failure");
        var (auth2, _) = Branch("rc-lenient");
        _github.SetCheckRun("auth-service", auth2, "build", "in_progress");
        using (var alice = await lenient.SignedInAsync("alice"))
        using (var dana = await lenient.SignedInAsync("dana", DevLead))
        {
            var id = (string)(await alice.CreateReleaseAsync("rc-lenient", "master"))["id"]!;
            await ExpectJsonAsync(await dana.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.OK); // pending does not block
        }

        var off = await StartAsync("off");
        var (auth3, _) = Branch("rc-off");
        _github.SetCheckRun("auth-service", auth3, "build", "completed", "failure");
        using (var alice = await off.SignedInAsync("alice"))
        using (var dana = await off.SignedInAsync("dana", DevLead))
        {
            var release = await alice.CreateReleaseAsync("rc-off", "master");
            Assert.Equal("failure", (string?)RepoOf(release, "auth-service")["checks"]!["state"]);
            Assert.Null(release["approvalBlockedByChecks"]);
            await ExpectJsonAsync(await dana.PostAsync($"/api/releases/{release["id"]}/approve/dev"), HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task A_GitHub_repos_commits_have_their_pages_and_stay_readable_after_the_branch_is_deleted_and_notes_link_pull_requests()
    {
        var host = await StartAsync();
        var repo = _github.Repo("auth-service").Branch("rc-gh");
        repo.Commit("rc-gh", "Alice Moreau", "alice", count: 3)
            .CommitMessage("rc-gh", "Bob Okafor", "Merge pull request #12 from acme/login\n\nAdd the login page")
            .CommitMessage("rc-gh", "Alice Moreau", "Cache tokens (#13)", "alice");
        var head = repo.HeadOf("rc-gh");
        var baseSha = repo.HeadOf("master");
        using var alice = await host.SignedInAsync("alice");
        var release = await alice.CreateReleaseAsync("rc-gh", "master");
        var id = (string)release["id"]!;
        Assert.Equal(baseSha, (string?)RepoOf(release, "auth-service")["baseSha"]);

        var answer = await alice.GetJsonAsync($"/api/releases/{id}/repos/auth-service/commits");
        Assert.Equal(5, (int)answer["total"]!);
        var commits = answer["commits"]!.AsArray();
        Assert.Equal(head, (string?)commits[0]!["sha"]);
        Assert.Equal("Cache tokens (#13)", (string?)commits[0]!["subject"]);
        Assert.Equal($"https://github.com/acme/auth-service/commit/{head}", (string?)commits[0]!["url"]);
        Assert.Equal($"{_github.ApiUrl}acme/auth-service/compare/{baseSha}...{head}", (string?)answer["compareUrl"]);

        var notes = await (await alice.GetAsync($"/api/releases/{id}/notes-draft")).Content.ReadAsStringAsync();
        Assert.Contains($"- Add the login page ([#12]({_github.ApiUrl}acme/auth-service/pull/12))", notes);
        Assert.Contains($"- Cache tokens ([#13]({_github.ApiUrl}acme/auth-service/pull/13))", notes);
        Assert.Contains("- Change 1 by Alice Moreau", notes);
        Assert.DoesNotContain("Merge pull request", notes);

        repo.DeleteBranch("rc-gh"); // GitHub forgets the commits (the fake does at once)
        var again = await alice.GetJsonAsync($"/api/releases/{id}/repos/auth-service/commits");
        Assert.Equal(5, (int)again["total"]!);
        Assert.Equal(head, (string?)again["commits"]![0]!["sha"]);
    }

    [Fact]
    public async Task A_GitHub_list_beyond_250_commits_reads_the_newest_pages()
    {
        var host = await StartAsync();
        var repo = _github.Repo("api-gateway").Branch("rc-long").Commit("rc-long", "Carol Jensen", "carol", count: 320);
        using var alice = await host.SignedInAsync("alice");
        var id = (string)(await alice.CreateReleaseAsync("rc-long", "master"))["id"]!;

        var answer = await alice.GetJsonAsync($"/api/releases/{id}/repos/api-gateway/commits");

        Assert.Equal(320, (int)answer["total"]!);
        var commits = answer["commits"]!.AsArray();
        Assert.Equal(250, commits.Count);
        Assert.Equal(repo.HeadOf("rc-long"), (string?)commits[0]!["sha"]);
        var times = commits.Select(c => DateTime.Parse((string)c!["at"]!, null, System.Globalization.DateTimeStyles.RoundtripKind)).ToList();
        Assert.Equal(times.OrderByDescending(t => t), times);
    }

    [Fact]
    public async Task A_create_reads_the_base_and_the_checks_in_the_GraphQL_batch_without_per_repo_requests()
    {
        const int Count = 30; // more than one batch
        var names = Enumerable.Range(0, Count).Select(i => $"svc-{i:D2}").ToList();
        var heads = new Dictionary<string, string>();
        foreach (var name in names)
        {
            var repo = _github.AddRepo(name).Branch("rc-batch").Commit("rc-batch", "Alice Moreau", "alice");
            heads[name] = repo.HeadOf("rc-batch");
        }

        _github.SetStatus("svc-03", heads["svc-03"], "ci/build", "failure");
        _github.SetStatus("svc-03", heads["svc-03"], "release-gate/master", "pending", "release-bot");
        _github.SetCheckRun("svc-07", heads["svc-07"], "test", "in_progress");
        _github.SetCheckRun("svc-29", heads["svc-29"], "lint", "completed", "skipped");
        var crowded = heads["svc-11"];
        for (var i = 0; i < 60; i++)
        {
            _github.SetStatus("svc-11", crowded, $"ci/status-{i:D2}", "success");
            _github.SetCheckRun("svc-11", crowded, $"run-{i:D2}", "completed", "success");
        }

        _github.SetCheckRun("svc-11", crowded, "zz-last", "completed", "failure"); // beyond the first 100: REST reads it
        var host = await StartAsync();
        using var alice = await host.SignedInAsync("alice");
        var before = _github.RequestLog.Count;

        var release = await alice.CreateReleaseAsync("rc-batch", "master");

        var requests = _github.RequestLog.Skip(before).ToList();
        bool PerRepo(string request, string name) => request.Contains($"/repos/acme/{name}/branches/", StringComparison.Ordinal)
            || request.Contains($"/repos/acme/{name}/commits/", StringComparison.Ordinal)
            && (request.Contains("/status", StringComparison.Ordinal) || request.Contains("/check-runs", StringComparison.Ordinal));
        var perRepo = names.Where(n => n != "svc-11").Where(n => requests.Any(r => PerRepo(r, n))).ToList();
        if (GraphQLBatchSize > 0)
        {
            Assert.True(perRepo.Count == 0, $"per-repo REST reads of {string.Join(", ", perRepo)}:\n{string.Join('\n', requests)}");
            Assert.Equal(2, requests.Count(r => PerRepo(r, "svc-11"))); // more checks than a page: its status and check runs through REST
        }
        else
        {
            Assert.Equal(Count - 1, perRepo.Count); // REST reads the branch, the status and the check runs of each
        }

        Assert.Equal("failure: ci/build", Checks(release, "svc-03"));
        Assert.Equal("pending: ", Checks(release, "svc-07"));
        Assert.Equal("success: ", Checks(release, "svc-29"));
        Assert.Equal("failure: zz-last", Checks(release, "svc-11"));
        Assert.Equal("none: ", Checks(release, "svc-00"));
        Assert.Equal($"{_github.ApiUrl}acme/svc-03/commit/{heads["svc-03"]}/checks", (string?)RepoOf(release, "svc-03")["checks"]!["url"]);
        foreach (var name in names)
        {
            Assert.Equal(_github.Repo(name).HeadOf("master"), (string?)RepoOf(release, name)["baseSha"]);
        }
    }

    /// <summary>"state: failing, names".</summary>
    private static string Checks(JsonNode release, string name)
    {
        var checks = RepoOf(release, name)["checks"]!;
        return $"{(string?)checks["state"]}: {string.Join(", ", checks["failing"]!.AsArray().Select(f => (string)f!))}";
    }
}

/// <summary><see cref="GitHubChecksTests"/> through REST only (<c>GraphQLBatchSize=0</c>).</summary>
public sealed class GitHubChecksRestTests : GitHubChecksTests
{
    protected override int GraphQLBatchSize => 0;
}
