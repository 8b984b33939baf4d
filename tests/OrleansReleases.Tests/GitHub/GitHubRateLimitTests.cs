using System.Net;
using OrleansReleases.Grains.Sources.GitHub;

namespace OrleansReleases.Tests.GitHub;

/// <summary>How long requests wait, from what GitHub said about the rate limit (a stopped clock: no time passes).</summary>
public sealed class GitHubRateLimitTests
{
    private readonly ManualClock _clock = new();

    private HttpResponseMessage Answer(int remaining, TimeSpan resetIn, HttpStatusCode status = HttpStatusCode.OK, int? retryAfter = null,
        string resource = "core")
    {
        var response = new HttpResponseMessage(status);
        response.Headers.Add("x-ratelimit-limit", "5000");
        response.Headers.Add("x-ratelimit-remaining", remaining.ToString());
        response.Headers.Add("x-ratelimit-reset", (_clock.GetUtcNow() + resetIn).ToUnixTimeSeconds().ToString());
        response.Headers.Add("x-ratelimit-resource", resource);
        if (retryAfter is { } seconds)
        {
            response.Headers.Add("retry-after", seconds.ToString());
        }

        return response;
    }

    [Fact]
    public void Plenty_left_means_no_wait()
    {
        var limit = new GitHubRateLimit(_clock);
        limit.Observe(Answer(4000, TimeSpan.FromMinutes(30)));

        Assert.All(Enumerable.Range(0, 100), _ => Assert.Equal(TimeSpan.Zero, limit.TakeDelay()));
    }

    [Fact]
    public void Little_left_spreads_the_rest_over_the_time_to_the_reset_one_request_after_another()
    {
        var limit = new GitHubRateLimit(_clock);
        limit.Observe(Answer(100, TimeSpan.FromSeconds(200))); // under 10 % of 5000: two seconds a request

        Assert.Equal(TimeSpan.Zero, limit.TakeDelay());
        Assert.Equal(TimeSpan.FromSeconds(2), limit.TakeDelay());
        Assert.True(limit.TakeDelay() > TimeSpan.FromSeconds(4)); // in turn, not all after the same two seconds
    }

    [Fact]
    public void A_used_up_window_waits_for_its_reset()
    {
        var limit = new GitHubRateLimit(_clock);
        limit.Observe(Answer(0, TimeSpan.FromMinutes(40)));

        Assert.Equal(TimeSpan.FromMinutes(40), limit.TakeDelay());
    }

    [Fact]
    public void Retry_after_pauses_every_request_until_it_is_over()
    {
        var limit = new GitHubRateLimit(_clock);
        limit.Observe(Answer(4000, TimeSpan.FromMinutes(30), HttpStatusCode.Forbidden, retryAfter: 30));

        Assert.Equal(TimeSpan.FromSeconds(30), limit.TakeDelay());
        _clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(TimeSpan.Zero, limit.TakeDelay());
    }

    [Fact]
    public void Only_rate_limit_refusals_count_as_rate_limited()
    {
        Assert.True(GitHubRateLimit.IsRateLimited(Answer(0, TimeSpan.FromMinutes(1), HttpStatusCode.Forbidden)));
        Assert.True(GitHubRateLimit.IsRateLimited(Answer(10, TimeSpan.FromMinutes(1), HttpStatusCode.Forbidden, retryAfter: 60)));
        Assert.True(GitHubRateLimit.IsRateLimited(Answer(10, TimeSpan.FromMinutes(1), HttpStatusCode.TooManyRequests)));
        Assert.False(GitHubRateLimit.IsRateLimited(Answer(10, TimeSpan.FromMinutes(1), HttpStatusCode.Forbidden))); // no access
    }

    [Fact]
    public void GraphQL_and_REST_are_paced_each_by_their_own_window()
    {
        var limit = new GitHubRateLimit(_clock);
        limit.Observe(Answer(0, TimeSpan.FromMinutes(20), resource: "graphql"));
        limit.Observe(Answer(4000, TimeSpan.FromMinutes(30)));

        Assert.Equal(TimeSpan.FromMinutes(20), limit.TakeDelay(GitHubRateLimit.GraphQL));
        Assert.Equal(TimeSpan.Zero, limit.TakeDelay(GitHubRateLimit.Core));

        limit.Observe(Answer(0, TimeSpan.FromMinutes(30), HttpStatusCode.Forbidden)); // REST used up: GraphQL unaffected
        limit.Observe(Answer(4000, TimeSpan.FromMinutes(20), resource: "graphql"));
        Assert.Equal(TimeSpan.FromMinutes(30), limit.TakeDelay(GitHubRateLimit.Core));
        Assert.Equal(TimeSpan.Zero, limit.TakeDelay(GitHubRateLimit.GraphQL));
    }

    [Fact]
    public void A_GraphQL_query_counts_against_GraphQLs_window_and_a_REST_call_against_RESTs()
    {
        Assert.Equal(GitHubRateLimit.GraphQL, GitHubRateLimit.ResourceOf(new HttpRequestMessage(HttpMethod.Post, "https://api.github.com/graphql")));
        Assert.Equal(GitHubRateLimit.GraphQL, GitHubRateLimit.ResourceOf(new HttpRequestMessage(HttpMethod.Post, "https://ghe.example.com/api/graphql")));
        Assert.Equal(GitHubRateLimit.Core, GitHubRateLimit.ResourceOf(new HttpRequestMessage(HttpMethod.Get, "https://api.github.com/repos/acme/x/compare/a...b")));
    }

    [Fact]
    public void An_answer_that_names_no_window_counts_for_its_requests_window()
    {
        var limit = new GitHubRateLimit(_clock);
        var answer = Answer(0, TimeSpan.FromMinutes(10));
        answer.Headers.Remove("x-ratelimit-resource");
        answer.RequestMessage = new HttpRequestMessage(HttpMethod.Post, "https://api.github.com/graphql");
        limit.Observe(answer);

        Assert.Equal(TimeSpan.FromMinutes(10), limit.TakeDelay(GitHubRateLimit.GraphQL));
        Assert.Equal(TimeSpan.Zero, limit.TakeDelay(GitHubRateLimit.Core));
    }
}
