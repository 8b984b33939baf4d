using OrleansReleases.Grains.Domain;

namespace OrleansReleases.Grains.Gate;

/// <summary>
/// One repo of one release into the asked destination branch, as the gate index holds it: the
/// release's created time, status and approvals (from the release index) and the repo's head commit
/// and exclusion (from the release's repos). <see cref="Stale"/> is known only from the release
/// itself (the last comparison could not reach the repo), so it is false for index rows.
/// </summary>
public sealed record GateCandidate(
    string ReleaseId,
    DateTime CreatedAt,
    ReleaseStatus Status,
    bool DevApproved,
    bool QaApproved,
    string Repo,
    string Sha,
    bool Excluded,
    bool Stale = false);

/// <summary>
/// The gate's answer: <see cref="Allowed"/> with the release that clears the commit, or a
/// <see cref="Reason"/> that says why not (and <see cref="Candidate"/>, the row it is about, when
/// there is one).
/// </summary>
public sealed record GateVerdict(bool Allowed, string Reason, GateCandidate? Candidate)
{
    public string? ReleaseId => Candidate?.ReleaseId;
}

/// <summary>
/// Whether a pipeline may deploy <c>repo</c> at a commit into a branch: allowed when an approved or
/// deployed release into that branch includes the repo at exactly that commit. A plain rule over
/// the candidate rows, so it is tested without a silo.
/// <list type="number">
/// <item>No release into the branch holds the repo: denied.</item>
/// <item>A prefix that matches more than one commit of the repo: denied as ambiguous.</item>
/// <item>An approved or deployed release includes the repo at that commit (the newest such): allowed;
/// unless it is approved (not yet deployed) and the repo is stale, since its head is unknown.</item>
/// <item>Otherwise the newest release holding that commit says why not: it excludes the repo, or it
/// is not approved yet (naming the approvals it lacks).</item>
/// <item>No release holds that commit: denied, naming the commit the newest release holds.</item>
/// </list>
/// </summary>
public static class GateDecision
{
    /// <param name="repo">The repo as asked.</param>
    /// <param name="sha">The commit asked about: full or a prefix of at least 7 hex digits, any case.</param>
    /// <param name="dest">The destination branch asked about.</param>
    /// <param name="candidates">Every row of that repo in releases into <paramref name="dest"/>.</param>
    public static GateVerdict Decide(string repo, string sha, string dest, IEnumerable<GateCandidate> candidates)
    {
        var rows = candidates
            .OrderByDescending(c => c.CreatedAt)
            .ThenByDescending(c => c.ReleaseId, StringComparer.Ordinal)
            .ToList();
        if (rows.Count == 0)
        {
            return Denied($"No release into {dest} holds {repo}.", null);
        }

        var holding = rows.Where(r => r.Sha.StartsWith(sha, StringComparison.OrdinalIgnoreCase)).ToList();
        var commits = holding.Select(r => r.Sha.ToLowerInvariant()).Distinct().ToList();
        if (commits.Count > 1)
        {
            return Denied($"The sha prefix {sha} is ambiguous: releases into {dest} hold {repo} at {string.Join(", ", commits)}. "
                + "Send more digits, or the full sha.", null);
        }

        var cleared = holding.Where(r => !r.Excluded && r.Status is ReleaseStatus.Approved or ReleaseStatus.Deploying or ReleaseStatus.Deployed).ToList();
        if (cleared.FirstOrDefault(r => r.Stale && r.Status == ReleaseStatus.Approved) is { } unverified
            && !cleared.Any(r => !r.Stale))
        {
            // The approvals cover that commit, but the last comparison could not tell whether the branch moved on.
            return Denied($"Release {unverified.ReleaseId} could not compare {unverified.Repo} at its last refresh: "
                + "whether the approved commit is still the branch's head is unknown. Refresh the release.", unverified);
        }

        // A deploying release no longer compares (what ships is fixed): like a deployed one, its approved commit stands.
        if (cleared.FirstOrDefault(r => !r.Stale || r.Status is ReleaseStatus.Deployed or ReleaseStatus.Deploying) is { } clearing)
        {
            var how = clearing.Status switch
            {
                ReleaseStatus.Deployed => "deployed",
                ReleaseStatus.Deploying => "deploying",
                _ => "approved",
            };
            return new GateVerdict(true, $"Release {clearing.ReleaseId} ({how}) includes {clearing.Repo} at {clearing.Sha}.", clearing);
        }

        if (holding.FirstOrDefault() is { } newest)
        {
            if (newest.Excluded)
            {
                return Denied($"{newest.Repo} is excluded from release {newest.ReleaseId}: it is not cleared to ship into {dest}.", newest);
            }

            var missing = Missing(newest);
            return Denied($"Release {newest.ReleaseId} holds {newest.Repo} at {newest.Sha} but is not approved yet"
                + (missing.Count > 0 ? $": the {string.Join(" and the ", missing)} {(missing.Count > 1 ? "are" : "is")} missing." : "."), newest);
        }

        var latest = rows[0];
        var state = latest.Status switch
        {
            ReleaseStatus.Deployed => "deployed",
            ReleaseStatus.Deploying => "deploying",
            ReleaseStatus.Approved => "approved",
            _ => "pending",
        };
        return Denied($"{repo} at {sha} is not in any release into {dest}: release {latest.ReleaseId} ({state}) holds {latest.Repo} "
            + $"at {latest.Sha}{(latest.Excluded ? ", and excludes it" : "")}. Only that commit can be cleared by it.", latest);
    }

    private static List<string> Missing(GateCandidate candidate)
    {
        var missing = new List<string>();
        if (!candidate.DevApproved)
        {
            missing.Add("dev approval");
        }

        if (!candidate.QaApproved)
        {
            missing.Add("qa approval");
        }

        return missing;
    }

    private static GateVerdict Denied(string reason, GateCandidate? candidate) => new(false, reason, candidate);
}
