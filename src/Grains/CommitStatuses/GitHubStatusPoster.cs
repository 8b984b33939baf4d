using System.Net;
using Octokit;
using OrleansReleases.Grains.Sources.GitHub;

namespace OrleansReleases.Grains.CommitStatuses;

/// <summary>Sets one commit status on GitHub.</summary>
public interface IGitHubStatusPoster
{
    Task PostAsync(DesiredStatus status);
}

/// <summary>
/// <c>POST /repos/{owner}/{repo}/statuses/{sha}</c> (<see cref="GitHubRestCalls.CreateStatus"/>, whose URL and
/// body fields the contract tests check against GitHub's description) through Octokit, on the same HTTP pipeline as
/// every read (<see cref="GitHubConnectionFactory"/>: concurrency bound, rate-limit pacing, retries
/// with back-off that honour <c>Retry-After</c>). Setting the same status twice is harmless, so the
/// retries of a POST are safe.
/// </summary>
public sealed class GitHubStatusPoster(GitHubOptions options, GitHubConnectionFactory connections) : IGitHubStatusPoster
{
    public async Task PostAsync(DesiredStatus status)
    {
        var body = new NewCommitStatus
        {
            State = status.State switch
            {
                CommitStatusRules.Success => CommitState.Success,
                CommitStatusRules.Failure => CommitState.Failure,
                CommitStatusRules.Pending => CommitState.Pending,
                _ => CommitState.Error,
            },
            TargetUrl = status.TargetUrl,
            Description = status.Description,
            Context = status.Context,
        };
        await new ApiConnection(connections.Create())
            .Post<CommitStatus>(GitHubRestCalls.CreateStatus.Url(options.Organization!, status.Repo, status.Sha), body);
    }

    /// <summary>
    /// A failure that trying again will not mend: a 4xx other than a rate limit (the repo or commit is
    /// gone, the token lacks <c>repo:status</c>, GitHub refuses the input). Rate limits, 5xx, time-outs
    /// and lost connections are passing.
    /// </summary>
    public static bool IsPermanent(Exception exception) => exception switch
    {
        RateLimitExceededException or SecondaryRateLimitExceededException or GitHubRateLimitExceededException => false,
        ApiException { StatusCode: HttpStatusCode.TooManyRequests } => false,
        ApiException api => (int)api.StatusCode is >= 400 and < 500,
        _ => false,
    };
}
