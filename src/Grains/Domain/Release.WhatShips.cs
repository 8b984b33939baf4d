namespace OrleansReleases.Grains.Domain;

/// <summary>
/// What ships, at a glance: the CI checks of each head, the commits new since the last approval,
/// and the dependencies a release carries over from the one before it of the same branches.
/// </summary>
public sealed partial class Release
{
    /// <summary>Why the checks rule refuses approvals now; null when it allows them.</summary>
    public string? WhyChecksBlockApproval => ChecksGate.WhyBlocked(state.Repos, roles.Checks);

    /// <summary>
    /// Takes in the checks of one repo's head, read after a webhook said they changed. Only while
    /// the repo's head is still <paramref name="headSha"/> and the release is open; returns false
    /// (and changes nothing) otherwise, or when the checks read as before. A change of checks is a
    /// change of the release: a new version (so the dashboard hears of it) and a history entry;
    /// it never dismisses approvals.
    /// </summary>
    public bool UpdateChecks(Actor actor, string repoName, string headSha, RepoChecks checks)
    {
        if (!state.Exists || state.Status == ReleaseStatus.Deployed
            || state.FindRepo(repoName) is not { } repo
            || !string.Equals(repo.HeadSha, headSha, StringComparison.OrdinalIgnoreCase)
            || Equals(repo.Checks, checks))
        {
            return false;
        }

        var before = repo.Checks?.Describe();
        repo.Checks = checks;
        Record(actor, "checks-updated", $"{repoName}: checks {before ?? "unknown"} → {checks.Describe()}",
            [new FieldChange($"{repoName} checks", before, checks.Describe())]);
        return true;
    }

    /// <summary>
    /// The commit each repo's delta is counted from: what the approvals given cover, else what the
    /// last dismissed approvals covered. Repos without one are left out.
    /// </summary>
    public IReadOnlyDictionary<string, string> DeltaBases()
    {
        var bases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var repo in state.Repos.Where(r => r.ApprovedSha is not null))
        {
            bases[repo.Name] = repo.ApprovedSha!;
        }

        var covered = state.Approvals.Given().Select(g => g.Approval.Covers).FirstOrDefault(c => c.Count > 0) ?? [];
        foreach (var commit in covered)
        {
            bases[commit.Repo] = commit.Sha;
        }

        return bases;
    }

    /// <summary>What a repo keeps from the comparison before: its checks (same head), the commit last approved, the base.</summary>
    private static void KeepAcrossComparisons(ReleaseRepo old, ReleaseRepo fresh)
    {
        fresh.ApprovedSha = old.ApprovedSha;
        fresh.NewSinceApproval = old.NewSinceApproval;
        if (string.Equals(old.HeadSha, fresh.HeadSha, StringComparison.OrdinalIgnoreCase))
        {
            fresh.Checks ??= old.Checks;
            fresh.BaseSha ??= old.BaseSha;
        }
    }

    /// <summary>Approvals are being dismissed: each repo whose head moved remembers the commit they covered.</summary>
    private void RememberApprovedCommits()
    {
        var covered = state.Approvals.Given().Select(g => g.Approval.Covers).FirstOrDefault(c => c.Count > 0) ?? [];
        foreach (var commit in covered)
        {
            if (state.FindRepo(commit.Repo) is { } repo && !string.Equals(repo.HeadSha, commit.Sha, StringComparison.OrdinalIgnoreCase))
            {
                repo.ApprovedSha = commit.Sha;
            }
        }
    }

    /// <summary>
    /// After a comparison: how many commits each repo has beyond the commit last approved. The
    /// comparison counted them from that commit when it knew it; when it counted from another one
    /// (an approval came in meanwhile) or could not count, every commit of the repo is new.
    /// </summary>
    private void CountNewSinceApproval(ComparedRepos comparison)
    {
        foreach (var repo in state.Repos)
        {
            if (repo.ApprovedSha is null || string.Equals(repo.ApprovedSha, repo.HeadSha, StringComparison.OrdinalIgnoreCase))
            {
                repo.ApprovedSha = null;
                repo.NewSinceApproval = 0;
                continue;
            }

            if (repo.Stale)
            {
                continue;
            }

            var change = comparison.Changed.FirstOrDefault(c => c.Name == repo.Name);
            repo.NewSinceApproval = change is { NewSinceApproval: { } counted } && change.DeltaBase == repo.ApprovedSha
                ? counted
                : repo.CommitCount;
        }
    }

    /// <summary>Both approvals cover the heads again: the delta has been reviewed.</summary>
    private void ForgetApprovedCommitsOnceApproved()
    {
        if (state.Status != ReleaseStatus.Approved)
        {
            return;
        }

        foreach (var repo in state.Repos)
        {
            repo.ApprovedSha = null;
            repo.NewSinceApproval = 0;
        }
    }

    /// <summary>Sets the carried-over dependencies on the repos both releases hold; says so for the "created" entry.</summary>
    private (string Detail, List<FieldChange>? Changes) CarryOverDependencies(CarriedDependencies? carried)
    {
        if (carried is null)
        {
            return ("", null);
        }

        var changes = new List<FieldChange>();
        foreach (var repo in state.Repos)
        {
            if (!carried.DependsOn.TryGetValue(repo.Name, out var dependsOn))
            {
                continue;
            }

            var kept = dependsOn.Where(name => name != repo.Name && state.FindRepo(name) is not null)
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (kept.Count == 0)
            {
                continue;
            }

            repo.DependsOn = kept;
            changes.Add(new FieldChange($"{repo.Name} dependsOn", "", string.Join(", ", kept)));
        }

        if (changes.Count == 0)
        {
            return ("", null);
        }

        if (DeployOrder.HasCycle)
        {
            // Cannot happen from a valid earlier release, but a cycle would block approvals: carry nothing.
            foreach (var repo in state.Repos)
            {
                repo.DependsOn = [];
            }

            return ("", null);
        }

        var lines = changes.Select(c => $"{c.Field[..^" dependsOn".Length]} → {c.After}");
        return ($"; dependencies carried over from release {carried.FromReleaseId}: {string.Join("; ", lines)}", changes);
    }
}
