namespace OrleansReleases.Grains.Sources.GitHub;

/// <summary>GitHub's rate limit is used up for longer than the service is willing to wait.</summary>
public sealed class GitHubRateLimitExceededException(DateTimeOffset until)
    : Exception($"GitHub's rate limit for the token is used up until {until.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}; a refresh after that compares it")
{
    public DateTimeOffset Until { get; } = until;
}
