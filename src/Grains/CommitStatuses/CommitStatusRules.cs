using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Releases;

namespace OrleansReleases.Grains.CommitStatuses;

/// <summary>
/// One commit status the service wants on GitHub: <paramref name="Repo"/> is the repo's GitHub name
/// (no owner, no <c>github/</c> prefix), <paramref name="State"/> one of GitHub's states
/// (<c>pending</c>, <c>success</c>, <c>failure</c>, <c>error</c>).
/// </summary>
public sealed record DesiredStatus(string Repo, string Sha, string Context, string State, string Description, string TargetUrl);

/// <summary>
/// Which commit statuses a release wants on GitHub, as a pure function of the release. Every GitHub
/// repo of the release gets one status on its head commit, context <c>release-gate/&lt;destBranch&gt;</c>:
/// <list type="bullet">
/// <item><c>pending</c> while the release waits for sign-off (also after approvals were withdrawn or
/// dismissed: the new heads are pending)</item>
/// <item><c>success</c> once it is approved, and after it is deployed</item>
/// <item><c>failure</c> for a repo the team excluded: it is not cleared to ship</item>
/// </list>
/// Local-git repos get none. A repo whose source is not recorded (state stored before sources were
/// recorded) counts as GitHub's only when its name carries the <c>github/</c> prefix; an unprefixed
/// name could be either source's, so it is skipped until the next refresh records its source.
/// </summary>
public static class CommitStatusRules
{
    public const string ContextPrefix = "release-gate/";

    public const string Pending = "pending";
    public const string Success = "success";
    public const string Failure = "failure";

    /// <summary>GitHub refuses a description longer than this.</summary>
    public const int MaxDescriptionLength = 140;

    private const string GitHubPrefix = "github/";

    public static string ContextFor(string destBranch) => ContextPrefix + destBranch;

    /// <param name="release">The release as stored.</param>
    /// <param name="releaseUrl">The release's page (<c>Releases:BaseUrl</c> + <c>/releases/&lt;id&gt;</c>).</param>
    public static IReadOnlyList<DesiredStatus> For(ReleaseView release, string releaseUrl)
    {
        var context = ContextFor(release.DestBranch);
        var statuses = new List<DesiredStatus>();
        foreach (var repo in release.Repos)
        {
            if (GitHubName(repo) is not { } name || string.IsNullOrEmpty(repo.HeadSha))
            {
                continue;
            }

            var (state, description) = repo.Excluded
                ? (Failure, $"not cleared to ship in release {release.Id}")
                : release.Status switch
                {
                    ReleaseStatus.Deployed => (Success, $"deployed in release {release.Id}"),
                    ReleaseStatus.Approved or ReleaseStatus.Deploying => (Success, $"signed off by Dev and QA in release {release.Id}"),
                    _ => (Pending, $"waiting for {Missing(release)} sign-off in release {release.Id}"),
                };
            statuses.Add(new DesiredStatus(name, repo.HeadSha, context, state, Fit(description), releaseUrl));
        }

        return statuses;
    }

    /// <summary>The repo's name on GitHub, or null when it is not a GitHub repo (or not known to be one).</summary>
    public static string? GitHubName(RepoView repo) => repo.Source switch
    {
        "github" => repo.Name.StartsWith(GitHubPrefix, StringComparison.Ordinal) ? repo.Name[GitHubPrefix.Length..] : repo.Name,
        null when repo.Name.StartsWith(GitHubPrefix, StringComparison.Ordinal) => repo.Name[GitHubPrefix.Length..],
        _ => null,
    };

    private static string Missing(ReleaseView release) => (release.DevApproval, release.QaApproval) switch
    {
        (null, null) => "Dev and QA",
        (null, _) => "Dev",
        (_, null) => "QA",
        _ => "Dev and QA", // both given yet pending cannot happen; say what the gate needs
    };

    private static string Fit(string text) =>
        text.Length <= MaxDescriptionLength ? text : text[..(MaxDescriptionLength - 1)] + "…";
}
