using OrleansReleases.Grains.CommitStatuses;
using OrleansReleases.Grains.Sources.GitHub;

namespace OrleansReleases.Silo.Hosting;

/// <summary>
/// GitHub commit statuses (<c>release-gate/&lt;dest&gt;</c>), when the GitHub source has a token and
/// <c>Releases:GitHub:CommitStatuses</c> is not false. Added after the silo: its hosted services call grains.
/// </summary>
public static class CommitStatusSetup
{
    public static void AddCommitStatuses(this WebApplicationBuilder builder)
    {
        var gitHub = GitHubOptions.Read(builder.Configuration.GetSection(GitHubOptions.Section));
        if (!CommitStatusOptions.Enabled(gitHub))
        {
            return;
        }

        builder.Services.AddCommitStatuses(new CommitStatusOptions
        {
            SweepEvery = gitHub.CommitStatusSweep > TimeSpan.Zero ? gitHub.CommitStatusSweep : TimeSpan.FromSeconds(30),
        });
    }
}
