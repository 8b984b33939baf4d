namespace OrleansReleases.Grains.Sources.GitHub;

/// <summary>
/// The innermost step of every request to GitHub: hands the rate-limit headers of each answer
/// (each attempt, retries included) to the shared <see cref="GitHubRateLimit"/>.
/// </summary>
public sealed class GitHubRateLimitObserver(GitHubRateLimit rateLimit) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        rateLimit.Observe(response);
        return response;
    }
}
