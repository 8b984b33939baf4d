using OrleansReleases.Grains.Sources.GitHub;

namespace OrleansReleases.Tests.GitHub;

/// <summary>
/// GitHub as its published description says it behaves (and as the fake, kept honest by
/// tests/contracts/github, answers): compare pages in chronological order with the newest commits
/// last, 404 "No common ancestor" for unrelated histories, pull requests from forks with the same
/// branch name, disabled repos, and GraphQL's rate limit apart from REST's. Over REST and GraphQL.
/// </summary>
public sealed class GitHubAsItIsTests
{
    public static TheoryData<int> BatchSizes => [0, 25];

    private static Task<GitHubSourceHarness> StartAsync(int batchSize, params (string Key, string Value)[] more) =>
        GitHubSourceHarness.StartAsync([("GraphQLBatchSize", batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture)), .. more]);

    [Theory]
    [MemberData(nameof(BatchSizes))]
    public async Task A_repo_600_commits_ahead_has_the_branch_head_every_author_and_the_exact_count(int batchSize)
    {
        await using var github = await StartAsync(batchSize);
        github.Fake.AddRepo("monolith").Branch("uat")
            .Commit("uat", "Alice Moreau", "alice", count: 200)
            .Commit("uat", "Bob Okafor", login: null, count: 250)
            .Commit("uat", "Carol Jensen", "carol", count: 149)
            .Commit("uat", "Dan Last", "dan"); // the newest commit, by someone who made no other

        var result = await github.CompareAsync();

        var change = Assert.Single(result.Changed);
        Assert.Empty(result.Warnings);
        Assert.Equal(600, change.CommitCount);
        Assert.Equal(["Bob Okafor", "alice", "carol", "dan"], change.Contributors);
        Assert.Equal(github.Fake.Repo("monolith").HeadOf("uat"), change.HeadSha);
        // Every page of 100 was read, the head from the branch, and the comparison pinned to that head.
        Assert.Equal(6, github.Fake.RequestLog.Count(line => line.Contains($"/compare/master...{change.HeadSha}?", StringComparison.Ordinal)));
        Assert.Contains(github.Fake.RequestLog, line => line.StartsWith("GET /repos/acme/monolith/git/ref/heads/uat ", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(BatchSizes))]
    public async Task Unrelated_histories_are_a_warning_naming_the_repo_not_a_silent_drop(int batchSize)
    {
        await using var github = await StartAsync(batchSize);
        github.Fake.AddRepo("rewritten").Orphan("uat").Commit("uat", "Frank", "frank");
        github.Fake.AddRepo("fine").Branch("uat").Commit("uat", "Alice", "alice");

        var result = await github.CompareAsync();

        Assert.Equal(["fine"], result.Changed.Select(c => c.Name));
        var warning = Assert.Single(result.Warnings);
        Assert.StartsWith("rewritten: ", warning);
        Assert.Contains("no common history", warning);
        Assert.Contains("No common ancestor", warning); // GitHub's own words
        Assert.Contains("rewritten", result.Examined!);
    }

    [Theory]
    [MemberData(nameof(BatchSizes))]
    public async Task A_forks_pull_request_from_a_branch_of_the_same_name_is_not_the_releases(int batchSize)
    {
        await using var github = await StartAsync(batchSize);
        var forked = github.Fake.AddRepo("forked").Branch("uat").Commit("uat", "Alice", "alice");
        forked.OpenPullRequestFromFork("mallory", "uat", "master");
        var both = github.Fake.AddRepo("both").Branch("uat").Commit("uat", "Bob", "bob");
        both.OpenPullRequestFromFork("mallory", "uat", "master");
        var ours = both.OpenPullRequest("uat", "master");

        var result = await github.CompareAsync();

        Assert.Empty(result.Warnings);
        var onlyFork = result.Changed.Single(c => c.Name == "forked");
        Assert.Null(onlyFork.PrNumber);
        Assert.Null(onlyFork.PrUrl);
        var withOurs = result.Changed.Single(c => c.Name == "both");
        Assert.Equal(ours, withOurs.PrNumber);
        Assert.Equal($"https://github.com/acme/both/pull/{ours}", withOurs.PrUrl);
    }

    [Fact]
    public async Task Many_forks_pull_requests_and_none_ours_are_settled_by_REST()
    {
        await using var github = await StartAsync(25);
        var repo = github.Fake.AddRepo("popular").Branch("uat").Commit("uat", "Alice", "alice");
        for (var i = 0; i < GitHubBatchComparer.PullRequestsListed + 2; i++)
        {
            repo.OpenPullRequestFromFork($"fan-{i}", "uat", "master");
        }

        var ours = repo.OpenPullRequest("uat", "master");

        var change = Assert.Single((await github.CompareAsync()).Changed);

        Assert.Equal(ours, change.PrNumber);
        Assert.Contains(github.Fake.RequestLog, line => line.StartsWith("GET /repos/acme/popular/pulls?", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(BatchSizes))]
    public async Task A_disabled_repo_is_left_out_like_an_archived_one(int batchSize)
    {
        await using var github = await StartAsync(batchSize);
        github.Fake.AddRepo("disabled").Branch("uat").Commit("uat", "Alice", "alice").Disabled = true;
        github.Fake.AddRepo("archived").Branch("uat").Commit("uat", "Alice", "alice").Archived = true;
        github.Fake.AddRepo("active").Branch("uat").Commit("uat", "Bob", "bob");

        var result = await github.CompareAsync();

        Assert.Equal(["active"], result.Changed.Select(c => c.Name));
        Assert.Empty(result.Warnings);
        Assert.Equal(["active"], result.Examined);
        Assert.DoesNotContain(github.Fake.RequestLog, line => line.Contains("/repos/acme/disabled/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_GraphQL_answer_that_says_disabled_or_archived_leaves_the_repo_out()
    {
        await using var github = await StartAsync(25);
        github.Fake.AddRepo("disabled").Branch("uat").Commit("uat", "Alice", "alice").Disabled = true;
        github.Fake.AddRepo("archived").Branch("uat").Commit("uat", "Alice", "alice").Archived = true;

        var outcomes = await github.Service<GitHubBatchComparer>().CompareAsync("acme", ["disabled", "archived"], "uat", "master", CancellationToken.None);

        Assert.All(outcomes, outcome => Assert.Equal(GitHubBatchComparer.Outcome.LeftOut, outcome));
    }

    [Fact]
    public async Task GraphQL_is_paced_by_its_own_window_and_REST_carries_on()
    {
        await using var github = await StartAsync(25);
        github.Fake.AddRepo("auth-service").Branch("uat").Commit("uat", "Alice", "alice");
        github.Fake.GraphQlRateLimitRemaining = 1; // this query takes GraphQL's last point; REST has plenty

        var first = await github.CompareAsync();
        Assert.Equal(["auth-service"], first.Changed.Select(c => c.Name));
        Assert.Equal(0, github.Service<GitHubRateLimit>().RemainingOf(GitHubRateLimit.GraphQL));
        Assert.Equal(1, github.Fake.RequestLog.Count(line => line.StartsWith("POST /graphql", StringComparison.Ordinal)));

        var second = await github.CompareAsync();

        // GraphQL's used-up window holds the query back (no request, not even a refused one);
        // the repo goes through REST, whose window is its own.
        Assert.Equal(1, github.Fake.RequestLog.Count(line => line.StartsWith("POST /graphql", StringComparison.Ordinal)));
        Assert.Equal(first.Changed.Select(c => c.HeadSha), second.Changed.Select(c => c.HeadSha));
        Assert.Empty(second.Warnings);
        Assert.Contains(github.Fake.RequestLog, line => line.StartsWith("GET /repos/acme/auth-service/compare/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_used_up_REST_window_does_not_hold_back_GraphQL_queries()
    {
        await using var github = await StartAsync(25);
        github.Fake.AddRepo("auth-service").Branch("uat").Commit("uat", "Alice", "alice");
        github.Fake.RateLimitRemaining = 1; // the repo list takes REST's last request

        var result = await github.CompareAsync();

        Assert.Equal(["auth-service"], result.Changed.Select(c => c.Name));
        Assert.Empty(result.Warnings);
        Assert.Equal(0, github.Service<GitHubRateLimit>().RemainingOf(GitHubRateLimit.Core));
    }
}
