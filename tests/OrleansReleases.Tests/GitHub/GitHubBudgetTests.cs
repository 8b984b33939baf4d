using OrleansReleases.Grains.Sources.GitHub;

namespace OrleansReleases.Tests.GitHub;

/// <summary>The estimate of a full comparison against REST's rate limit, made before it starts.</summary>
public sealed class GitHubBudgetTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 14, 20, 0, TimeSpan.Zero);
    private static readonly GitHubWindow PlentyOfGraphQL = new(5000, 5000, Now.AddMinutes(40));

    [Fact]
    public void Three_thousand_repos_through_REST_do_not_fit_one_window_and_the_text_names_the_numbers()
    {
        var estimate = GitHubBudget.Estimate(3000, 0, 0, new GitHubWindow(5000, 4990, Now.AddMinutes(40)), PlentyOfGraphQL, Now);

        Assert.False(estimate.Fits);
        Assert.Equal((3000, 9000), (estimate.RestRepos, estimate.RequestsNeeded));
        // 40 minutes left of this window, then 4,010 more requests at 5,000 an hour: about 48 more minutes.
        Assert.InRange(estimate.TimeToFinish, TimeSpan.FromMinutes(88), TimeSpan.FromMinutes(89));
        Assert.Equal(
            "Comparing 3,000 repos through GitHub's REST API needs about 9,000 requests, 4,990 remain until 15:00 UTC; "
            + "it would take about 1 h 29 min to finish paced by the rate limit — switch on GraphQL batching "
            + "(Releases:GitHub:GraphQLBatchSize) or wait.", estimate.Describe());
    }

    [Fact]
    public void Three_hundred_repos_fit()
    {
        var estimate = GitHubBudget.Estimate(300, 0, 0, new GitHubWindow(5000, 4990, Now.AddMinutes(40)), null, Now);

        Assert.True(estimate.Fits);
        Assert.Equal(900, estimate.RequestsNeeded);
        Assert.Equal(TimeSpan.Zero, estimate.TimeToFinish);
    }

    [Fact]
    public void Repos_whose_answers_are_kept_with_ETags_count_as_unchanged()
    {
        var estimate = GitHubBudget.Estimate(3000, 2900, 0, new GitHubWindow(5000, 1000, Now.AddMinutes(40)), null, Now);

        Assert.True(estimate.Fits);
        Assert.Equal(300, estimate.RequestsNeeded);
    }

    [Fact]
    public void With_GraphQL_on_only_the_repos_its_window_cannot_query_go_through_REST()
    {
        var core = new GitHubWindow(5000, 100, Now.AddMinutes(10));
        Assert.Equal(0, GitHubBudget.Estimate(3000, 0, 25, core, PlentyOfGraphQL, Now).RequestsNeeded); // 120 queries, 5,000 points
        Assert.Equal(0, GitHubBudget.Estimate(3000, 0, 25, core, null, Now).RequestsNeeded); // unknown: GraphQL is taken to cover it

        var short_ = GitHubBudget.Estimate(3000, 0, 25, core, new GitHubWindow(5000, 100, Now.AddMinutes(10)), Now);
        Assert.Equal((500, 1500, false), (short_.RestRepos, short_.RequestsNeeded, short_.Fits));
        Assert.StartsWith("Comparing 3,000 repos (500 through GitHub's REST API: GraphQL's window has 100 points left of the 120 queries needed) "
            + "needs about 1,500 requests, 100 remain until 14:30 UTC", short_.Describe());
    }

    [Fact]
    public void A_window_past_its_reset_counts_as_full()
    {
        var estimate = GitHubBudget.Estimate(1000, 0, 0, new GitHubWindow(5000, 0, Now.AddMinutes(-1)), null, Now);

        Assert.True(estimate.Fits);
        Assert.Equal(5000, estimate.Core.Remaining);
    }
}
