namespace OrleansReleases.Grains.Sources.GitHub;

/// <summary>The bounds of the GitHub response cache, under <c>Releases:GitHub</c>.</summary>
public sealed class GitHubCacheOptions
{
    public const string Section = "Releases:GitHub";

    /// <summary>An answer neither stored nor used for this long is removed.</summary>
    public TimeSpan CacheUnusedFor { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The most answers kept; beyond it the least recently used go first.</summary>
    public int CacheMaxEntries { get; set; } = 50_000;

    /// <summary>How often the cache is pruned.</summary>
    public TimeSpan CachePruneEvery { get; set; } = TimeSpan.FromHours(1);
}
