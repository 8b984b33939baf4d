using System.Net;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Sources;
using OrleansReleases.Grains.Sources.GitHub;

namespace OrleansReleases.Tests.GitHub;

/// <summary>The GitHub source against the fake GitHub: the same Octokit code as against github.com.</summary>
public sealed class GitHubSourceTests : IAsyncLifetime
{
    private GitHubSourceHarness _github = null!;

    public async Task InitializeAsync() => _github = await GitHubSourceHarness.StartAsync();

    public async Task DisposeAsync() => await _github.DisposeAsync();

    [Fact]
    public async Task Every_non_archived_repo_is_listed_across_pages_and_compared()
    {
        for (var i = 0; i < 230; i++)
        {
            var repo = _github.Fake.AddRepo($"svc-{i:000}").Branch("uat");
            if (i % 2 == 0)
            {
                repo.Commit("uat", "Alice", "alice");
            }

            repo.Archived = i % 10 == 4; // archived repos are left out even with changes
        }

        var result = await _github.CompareAsync();

        var expected = Enumerable.Range(0, 230).Where(i => i % 2 == 0 && i % 10 != 4).Select(i => $"svc-{i:000}");
        Assert.Equal(expected, result.Changed.Select(c => c.Name));
        Assert.Empty(result.Warnings);
        Assert.Equal(207, result.Examined!.Count);
        Assert.Contains(_github.Fake.RequestLog, line => line.StartsWith("GET /orgs/acme/repos?", StringComparison.Ordinal) && line.Contains("page=3"));
    }

    [Fact]
    public async Task Commits_beyond_the_250_listed_are_counted_and_their_authors_and_head_are_found()
    {
        _github.Fake.AddRepo("monolith").Branch("uat")
            .Commit("uat", "Alice Moreau", "alice", count: 120)
            .Commit("uat", "Bob Okafor", login: null, count: 140)
            .Commit("uat", "Carol Jensen", "carol", count: 40);

        var change = Assert.Single((await _github.CompareAsync()).Changed);

        Assert.Equal(300, change.CommitCount);
        Assert.Equal(["Bob Okafor", "alice", "carol"], change.Contributors); // logins, the name where no user is linked
        Assert.Equal(_github.Fake.Repo("monolith").HeadOf("uat"), change.HeadSha);
    }

    [Fact]
    public async Task The_open_pull_request_from_source_to_destination_comes_along()
    {
        var repo = _github.Fake.AddRepo("auth-service").Branch("uat").Branch("dev")
            .Commit("uat", "Alice", "alice").Commit("dev", "Bob", "bob");
        repo.OpenPullRequest("dev", "master", "Not this one");
        var number = repo.OpenPullRequest("uat", "master");
        _github.Fake.AddRepo("api-gateway").Branch("uat").Commit("uat", "Carol", "carol");

        var result = await _github.CompareAsync();

        var auth = result.Changed.Single(c => c.Name == "auth-service");
        Assert.Equal(number, auth.PrNumber);
        Assert.Equal($"https://github.com/acme/auth-service/pull/{number}", auth.PrUrl);
        var gateway = result.Changed.Single(c => c.Name == "api-gateway");
        Assert.Null(gateway.PrNumber);
        Assert.Null(gateway.PrUrl);
    }

    [Fact]
    public async Task Repos_lacking_either_branch_or_without_new_commits_are_left_out_without_warnings()
    {
        _github.Fake.AddRepo("no-uat");
        _github.Fake.AddRepo("no-master").Branch("uat").DeleteBranch("master");
        _github.Fake.AddRepo("same").Branch("uat");
        _github.Fake.AddRepo("behind").Branch("uat").Commit("master", "Dave", "dave");
        _github.Fake.AddRepo("changed").Branch("uat").Commit("uat", "Erin", "erin");

        var result = await _github.CompareAsync();

        Assert.Equal(["changed"], result.Changed.Select(c => c.Name));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public async Task Unrelated_histories_are_a_warning_not_a_silent_drop()
    {
        _github.Fake.AddRepo("rewritten").Orphan("uat").Commit("uat", "Frank", "frank");

        var result = await _github.CompareAsync();

        Assert.Empty(result.Changed);
        var warning = Assert.Single(result.Warnings);
        Assert.StartsWith("rewritten: ", warning);
        Assert.Contains("no common history", warning);
        Assert.Contains("404", warning); // GitHub's answer: 404 "No common ancestor between X and Y."
    }

    [Fact]
    public async Task A_transient_failure_is_retried_within_one_comparison()
    {
        _github.Fake.AddRepo("flaky").Branch("uat").Commit("uat", "Alice", "alice").FailNext(2, HttpStatusCode.ServiceUnavailable);

        var result = await _github.CompareAsync();

        Assert.Equal(["flaky"], result.Changed.Select(c => c.Name));
        Assert.Empty(result.Warnings);
        Assert.Equal(3, _github.Fake.RequestLog.Count(line => line.Contains("/repos/acme/flaky/compare/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_repo_that_still_fails_after_retries_is_a_warning_and_the_next_comparison_recovers()
    {
        _github.Fake.AddRepo("steady").Branch("uat").Commit("uat", "Alice", "alice");
        _github.Fake.AddRepo("broken").Branch("uat").Commit("uat", "Bob", "bob").FailNext(4); // 1 try + 3 retries

        var failed = await _github.CompareAsync();

        Assert.Equal(["steady"], failed.Changed.Select(c => c.Name));
        var warning = Assert.Single(failed.Warnings);
        Assert.StartsWith("broken: ", warning);
        Assert.Contains("502", warning);
        Assert.Equal(["broken"], failed.Failed); // named, so a release keeps it (stale)

        var recovered = await _github.CompareAsync();

        Assert.Equal(["broken", "steady"], recovered.Changed.Select(c => c.Name));
        Assert.Empty(recovered.Warnings);
        Assert.Empty(recovered.Failed!);
    }

    [Fact]
    public async Task Comparing_unchanged_repos_again_costs_304s_and_no_rate_limit()
    {
        for (var i = 0; i < 5; i++)
        {
            _github.Fake.AddRepo($"svc-{i}").Branch("uat").Commit("uat", "Alice", "alice");
        }

        _github.Fake.Repo("svc-0").OpenPullRequest("uat", "master");
        var first = await _github.CompareAsync();
        var remaining = _github.Fake.RateLimitRemaining;
        var requests = _github.Fake.Requests;

        var second = await _github.CompareAsync();

        Assert.Equal(remaining, _github.Fake.RateLimitRemaining);
        Assert.Equal(_github.Fake.Requests - requests - 1, _github.Fake.NotModified); // and one GET /rate_limit, which GitHub does not count
        Assert.Equal(16, _github.Fake.NotModified); // the repo list, five branch heads, five compares, five pull-request lookups
        Assert.Equal(first.Changed.Select(Describe), second.Changed.Select(Describe));

        // A new commit changes that repo's head and so its comparison, and only those two cost a request.
        _github.Fake.Repo("svc-3").Commit("uat", "Bob", "bob");
        var third = await _github.CompareAsync();
        Assert.Equal(remaining - 2, _github.Fake.RateLimitRemaining);
        Assert.Equal(2, third.Changed.Single(c => c.Name == "svc-3").CommitCount);
    }

    [Fact]
    public async Task The_answers_are_kept_with_their_ETags_in_SQLite()
    {
        _github.Fake.AddRepo("auth-service").Branch("uat").Commit("uat", "Alice", "alice");
        await _github.CompareAsync();
        await _github.Service<GitHubResponseCache>().FlushAsync();

        await using (var connection = _github.Service<OrleansReleases.Grains.Storage.SqliteDatabase>().Open())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT count(*) FROM github_response_cache WHERE etag LIKE 'W/%';";
            Assert.Equal(4L, (long)(await command.ExecuteScalarAsync())!); // the repo list, the branch head, the compare, the pull requests
        }
    }

    [Fact]
    public async Task A_secondary_rate_limit_is_waited_out_and_the_request_retried()
    {
        _github.Fake.AddRepo("auth-service").Branch("uat").Commit("uat", "Alice", "alice");
        _github.Fake.SecondaryRateLimitNext(1, retryAfterSeconds: 1);

        var result = await _github.CompareAsync();

        Assert.Equal(["auth-service"], result.Changed.Select(c => c.Name));
        Assert.Empty(result.Warnings);
        Assert.Contains(_github.Fake.RequestLog, line => line.EndsWith("→ 403", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_comparison_that_cannot_fit_the_rate_limit_is_refused_before_any_repo_is_compared()
    {
        _github.Fake.AddRepo("auth-service").Branch("uat").Commit("uat", "Alice", "alice");
        _github.Fake.AddRepo("api-gateway").Branch("uat").Commit("uat", "Carol", "carol");
        _github.Fake.RateLimitRemaining = 1; // the repo list takes the last request of the window

        var refused = await Assert.ThrowsAsync<ReleaseRuleException>(() => _github.CompareAsync());

        Assert.Equal(RuleViolation.Conflict, refused.Violation);
        Assert.Contains("needs about 6 requests, 0 remain until", refused.Message);
        Assert.DoesNotContain(_github.Fake.RequestLog, line => line.Contains("/repos/acme/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_window_used_up_during_a_comparison_is_reported_per_repo_instead_of_waiting_an_hour()
    {
        _github.Fake.AddRepo("auth-service").Branch("uat").Commit("uat", "Alice", "alice");
        _github.Fake.AddRepo("api-gateway").Branch("uat").Commit("uat", "Carol", "carol");
        await _github.CompareAsync(); // every answer kept with its ETag: the estimate counts both repos as unchanged (free)

        _github.Fake.Repo("auth-service").Commit("uat", "Bob", "bob");
        _github.Fake.Repo("api-gateway").Commit("uat", "Dan", "dan");
        _github.Fake.RateLimitRemaining = 1; // the check passes; the moved branch heads then need more than is left
        var result = await _github.CompareAsync();

        Assert.NotEmpty(result.Warnings);
        Assert.All(result.Warnings, warning => Assert.Contains("rate limit", warning));
        Assert.Equal(2, result.Warnings.Count + result.Changed.Count(c => c.CommitCount == 2));
    }

    [Fact]
    public async Task Progress_counts_every_repo_up_to_the_total()
    {
        for (var i = 0; i < 30; i++)
        {
            _github.Fake.AddRepo($"svc-{i}").Branch("uat").Commit("uat", "Alice", "alice");
        }

        var reports = new List<CompareProgress>();
        await _github.CompareAsync(progress: new SynchronousProgress(reports));

        Assert.NotEmpty(reports);
        Assert.Contains(new CompareProgress(30, 30), reports);
        Assert.All(reports, report => Assert.Equal(30, report.Total));
    }

    [Fact]
    public async Task The_token_never_appears_in_logs_or_warnings()
    {
        _github.Fake.AddRepo("auth-service").Branch("uat").Commit("uat", "Alice", "alice");
        _github.Fake.AddRepo("broken").Branch("uat").Commit("uat", "Bob", "bob").FailNext(4);
        _github.Fake.AddRepo("rewritten").Orphan("uat");

        var result = await _github.CompareAsync();

        Assert.NotEmpty(_github.Logs.Lines);
        Assert.Contains(_github.Logs.Lines, line => line.Contains("/repos/acme/auth-service/compare/", StringComparison.Ordinal));
        Assert.DoesNotContain(_github.Logs.Lines, line => line.Contains(GitHubSourceHarness.Token, StringComparison.Ordinal));
        Assert.DoesNotContain(result.Warnings, warning => warning.Contains(GitHubSourceHarness.Token, StringComparison.Ordinal));
    }

    private static string Describe(OrleansReleases.Grains.Domain.RepoChange c) =>
        $"{c.Name} {c.CommitCount} {string.Join(",", c.Contributors)} {c.HeadSha} {c.PrNumber} {c.PrUrl}";

    /// <summary>Collects reports on the reporting thread (Progress&lt;T&gt; would post them later).</summary>
    private sealed class SynchronousProgress(List<CompareProgress> reports) : IProgress<CompareProgress>
    {
        public void Report(CompareProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
