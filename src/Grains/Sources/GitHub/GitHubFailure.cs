using System.Net;
using Octokit;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace OrleansReleases.Grains.Sources.GitHub;

/// <summary>
/// Why a request to GitHub failed, in words for a release's warnings. Only GitHub's status and
/// message are used (never request headers), and the token is masked should it ever appear.
/// </summary>
public static class GitHubFailure
{
    public static string Describe(Exception exception, string? token)
    {
        var text = exception switch
        {
            GitHubRateLimitExceededException limit => limit.Message,
            RateLimitExceededException limit => $"GitHub's rate limit is used up until {limit.Reset.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}",
            SecondaryRateLimitExceededException => "GitHub's secondary rate limit refused the request, also after waiting",
            AuthorizationException => "GitHub refused the token (401): check Releases:GitHub:Token",
            ApiException api when api.StatusCode == HttpStatusCode.Forbidden => $"GitHub refused access (403): {api.Message}",
            ApiException api => $"GitHub answered {(int)api.StatusCode} {api.StatusCode}: {api.Message}",
            TimeoutRejectedException => "GitHub did not answer in time, also after retries",
            BrokenCircuitException => "GitHub failed too often just now; requests are paused for a moment",
            HttpRequestException http => $"could not reach GitHub: {http.Message}",
            TaskCanceledException => "GitHub did not answer in time",
            _ => exception.Message,
        };

        return string.IsNullOrEmpty(token) ? text : text.Replace(token, "***", StringComparison.Ordinal);
    }
}
