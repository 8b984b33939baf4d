namespace OrleansReleases.Grains.Sources.GitHub;

/// <summary>
/// The innermost step of every request to GitHub: hands the rate-limit headers of each answer
/// (each attempt, retries included) to the shared <see cref="GitHubRateLimit"/>.
/// </summary>
public sealed class GitHubRateLimitObserver(GitHubRateLimit rateLimit, Metrics.ReleasesMetrics? metrics = null) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        rateLimit.Observe(response);
        if (metrics is not null)
        {
            var headers = response.Headers;
            var resource = headers.TryGetValues("x-ratelimit-resource", out var names) ? names.FirstOrDefault() : null;
            var remaining = headers.TryGetValues("x-ratelimit-remaining", out var values) && long.TryParse(values.FirstOrDefault(), out var left) ? left : (long?)null;
            metrics.GitHubAnswered(resource, (int)response.StatusCode, remaining);
        }

        return response;
    }
}
