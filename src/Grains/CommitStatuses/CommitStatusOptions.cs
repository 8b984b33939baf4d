using OrleansReleases.Grains.Sources.GitHub;

namespace OrleansReleases.Grains.CommitStatuses;

/// <summary>How the commit statuses are delivered (from the <c>Releases:GitHub</c> settings).</summary>
public sealed class CommitStatusOptions
{
    /// <summary>How often the outbox is swept for statuses GitHub has not heard about.</summary>
    public TimeSpan SweepEvery { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Statuses are set when the GitHub source has a token and <see cref="GitHubOptions.CommitStatuses"/>
    /// is not false; without a token GitHub would refuse them.
    /// </summary>
    public static bool Enabled(GitHubOptions gitHub) =>
        gitHub.IsConfigured && !string.IsNullOrEmpty(gitHub.Token) && gitHub.CommitStatuses != false;
}
