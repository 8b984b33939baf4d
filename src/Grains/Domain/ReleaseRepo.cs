namespace OrleansReleases.Grains.Domain;

/// <summary>A repo inside a release: what the source found, plus the team's choices about it.</summary>
public sealed class ReleaseRepo
{
    public required string Name { get; init; }
    public int CommitCount { get; set; }
    public List<string> Contributors { get; set; } = [];
    public string HeadSha { get; set; } = "";
    public int? PrNumber { get; set; }
    public string? PrUrl { get; set; }

    /// <summary>
    /// The source the repo came from ("github", "local"); null in state stored before sources were
    /// recorded (the next refresh records it).
    /// </summary>
    public string? Source { get; set; }

    /// <summary>Left out of this release by the team: not deployed, not in the deploy order.</summary>
    public bool Excluded { get; set; }

    /// <summary>Repos of the same release that must be deployed before this one.</summary>
    public List<string> DependsOn { get; set; } = [];

    /// <summary>
    /// The last comparison could not compare this repo: it keeps the data of the one before. While
    /// an included repo is stale, nobody may approve or deploy; excluding it, or a comparison that
    /// reaches it, lifts that.
    /// </summary>
    public bool Stale { get; set; }

    /// <summary>The last deployment reported for this repo (by a pipeline or a person); null before any.</summary>
    public RepoDeployment? Deployment { get; set; }

    /// <summary>The destination's commit the comparison was made against (see <see cref="RepoChange.BaseSha"/>); null when not recorded.</summary>
    public string? BaseSha { get; set; }

    /// <summary>The CI checks of <see cref="HeadSha"/>; null when never read.</summary>
    public RepoChecks? Checks { get; set; }

    /// <summary>The commit the last approvals covered, remembered when they were dismissed because the head moved; null when none.</summary>
    public string? ApprovedSha { get; set; }

    /// <summary>Commits between <see cref="ApprovedSha"/> and the head: what re-approving means reviewing.</summary>
    public int NewSinceApproval { get; set; }

    public static ReleaseRepo From(RepoChange change) => new()
    {
        Name = change.Name,
        CommitCount = change.CommitCount,
        Contributors = [.. change.Contributors],
        HeadSha = change.HeadSha,
        PrNumber = change.PrNumber,
        PrUrl = change.PrUrl,
        Source = change.Source,
        BaseSha = change.BaseSha,
        Checks = change.Checks,
    };
}
