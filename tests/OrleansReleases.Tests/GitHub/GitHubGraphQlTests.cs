using System.Net;

namespace OrleansReleases.Tests.GitHub;

/// <summary>
/// <c>Releases:GitHub:GraphQLBatchSize</c>: repos compared many at a time by one GraphQL query,
/// with REST for what a query cannot settle. The results are the same as REST's.
/// </summary>
public sealed class GitHubGraphQlTests : IAsyncLifetime
{
    private GitHubSourceHarness _github = null!;

    public async Task InitializeAsync() => _github = await GitHubSourceHarness.StartAsync(("GraphQLBatchSize", "25"));

    public async Task DisposeAsync() => await _github.DisposeAsync();

    private IEnumerable<string> Requests(string fragment) => _github.Fake.RequestLog.Where(line => line.Contains(fragment, StringComparison.Ordinal));

    [Fact]
    public async Task Sixty_repos_take_three_queries_and_give_what_REST_gives()
    {
        for (var i = 0; i < 60; i++)
        {
            var repo = _github.Fake.AddRepo($"svc-{i:00}").Branch("uat").Commit("uat", "Alice Moreau", "alice", count: 1 + i % 3);
            if (i % 2 == 0)
            {
                repo.Commit("uat", "Bob Okafor");
            }

            if (i % 5 == 0)
            {
                repo.OpenPullRequest("uat", "master");
            }
        }

        _github.Fake.AddRepo("no-uat");
        var batched = await _github.CompareAsync();

        Assert.Equal(3, Requests("POST /graphql").Count());
        Assert.Empty(Requests("/compare/"));
        Assert.Empty(batched.Warnings);
        Assert.Equal(60, batched.Changed.Count);
        var first = batched.Changed[0];
        Assert.Equal(("svc-00", 2, _github.Fake.Repo("svc-00").HeadOf("uat"), 1, "https://github.com/acme/svc-00/pull/1"),
            (first.Name, first.CommitCount, first.HeadSha, first.PrNumber, first.PrUrl));
        Assert.Equal(["Bob Okafor", "alice"], first.Contributors);

        var viaRest = await CompareOverRestAsync();
        Assert.Equal(viaRest, batched.Changed.Select(Describe));
    }

    [Fact]
    public async Task Repos_the_query_cannot_settle_go_through_REST()
    {
        _github.Fake.AddRepo("monolith").Branch("uat").Commit("uat", "Alice", "alice", count: 180).Commit("uat", "Bob", "bob", count: 120);
        _github.Fake.AddRepo("rewritten").Orphan("uat").Commit("uat", "Frank", "frank");
        _github.Fake.AddRepo("small").Branch("uat").Commit("uat", "Carol", "carol");

        var result = await _github.CompareAsync();

        var monolith = result.Changed.Single(c => c.Name == "monolith");
        Assert.Equal(300, monolith.CommitCount);
        Assert.Equal(["alice", "bob"], monolith.Contributors);
        Assert.Equal(_github.Fake.Repo("monolith").HeadOf("uat"), monolith.HeadSha);
        Assert.Equal(["monolith", "small"], result.Changed.Select(c => c.Name));
        Assert.StartsWith("rewritten: ", Assert.Single(result.Warnings));
        Assert.Empty(Requests("/repos/acme/small/compare/")); // settled by the query
    }

    [Fact]
    public async Task A_query_that_keeps_failing_falls_back_to_REST_repo_by_repo()
    {
        _github.Fake.AddRepo("auth-service").Branch("uat").Commit("uat", "Alice", "alice");
        _github.Fake.AddRepo("api-gateway").Branch("uat").Commit("uat", "Carol", "carol");
        _github.Fake.FailNextGraphQl(4, HttpStatusCode.BadGateway); // the query and its three retries

        var result = await _github.CompareAsync();

        Assert.Equal(["api-gateway", "auth-service"], result.Changed.Select(c => c.Name));
        Assert.Empty(result.Warnings);
        Assert.Equal(2, Requests("/compare/").Count());
    }

    [Fact]
    public async Task The_token_never_appears_in_logs_or_warnings()
    {
        _github.Fake.AddRepo("auth-service").Branch("uat").Commit("uat", "Alice", "alice");
        _github.Fake.AddRepo("rewritten").Orphan("uat");

        var result = await _github.CompareAsync();

        Assert.Contains(_github.Logs.Lines, line => line.Contains("/graphql", StringComparison.Ordinal));
        Assert.DoesNotContain(_github.Logs.Lines, line => line.Contains(GitHubSourceHarness.Token, StringComparison.Ordinal));
        Assert.DoesNotContain(result.Warnings, warning => warning.Contains(GitHubSourceHarness.Token, StringComparison.Ordinal));
    }

    private async Task<IEnumerable<string>> CompareOverRestAsync()
    {
        // The same fake, read by a REST-only source (the harness's default): point a second harness at it.
        await using var rest = await GitHubSourceHarness.StartAsync(("ApiUrl", _github.Fake.ApiUrl.ToString()));
        return (await rest.CompareAsync()).Changed.Select(Describe);
    }

    private static string Describe(OrleansReleases.Grains.Domain.RepoChange c) =>
        $"{c.Name} {c.CommitCount} {string.Join(",", c.Contributors)} {c.HeadSha} {c.PrNumber} {c.PrUrl}";
}
