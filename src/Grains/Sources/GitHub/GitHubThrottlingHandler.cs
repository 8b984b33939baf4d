using Microsoft.Extensions.Logging;

namespace OrleansReleases.Grains.Sources.GitHub;

/// <summary>
/// The outermost step of every request to GitHub: waits for a free slot of the
/// <see cref="GitHubRequestGate"/>, then for as long as the <see cref="GitHubRateLimit"/> advises for
/// the request's own window (GraphQL queries by GraphQL's, REST calls by REST's).
/// It sits outside the retries and their time-outs, so waiting here never counts as GitHub being slow.
/// A wait longer than <see cref="GitHubOptions.MaxRateLimitWait"/> fails the request at once with
/// <see cref="GitHubRateLimitExceededException"/>: the repo is reported, and a later refresh tries again.
/// </summary>
public sealed class GitHubThrottlingHandler(
    GitHubRequestGate gate,
    GitHubRateLimit rateLimit,
    GitHubOptions options,
    TimeProvider clock,
    ILogger<GitHubThrottlingHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var resource = GitHubRateLimit.ResourceOf(request);
            var delay = rateLimit.TakeDelay(resource);
            if (delay > options.MaxRateLimitWait)
            {
                throw new GitHubRateLimitExceededException(clock.GetUtcNow() + delay);
            }

            if (delay > TimeSpan.Zero)
            {
                // Short waits are the pacing of every request when little is left: not worth a line each.
                logger.Log(delay >= TimeSpan.FromSeconds(1) ? LogLevel.Information : LogLevel.Debug,
                    "Waiting {Delay} before the next GitHub request, to stay within the {Resource} rate limit ({Remaining} left)",
                    delay, resource, rateLimit.RemainingOf(resource));
                await Task.Delay(delay, clock, cancellationToken);
            }

            return await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }
}
