namespace OrleansReleases.Grains.Domain;

/// <summary>
/// Who may sign off a release, when, and when a sign-off stops counting. Every approval rule of
/// the product is here; <see cref="Release"/> calls these before it changes anything.
/// </summary>
public static class ApprovalRules
{
    public static bool MayApprove(Actor actor, ApprovalKind kind, ApprovalRoles roles) => actor.HasRole(roles.For(kind));

    /// <summary>Throws when <paramref name="actor"/> may not give the <paramref name="kind"/> approval now.</summary>
    public static void EnsureMayApprove(ReleaseState release, Actor actor, ApprovalKind kind, ApprovalRoles roles, DeployOrder order)
    {
        if (!MayApprove(actor, kind, roles))
        {
            throw new ReleaseRuleException(RuleViolation.Forbidden,
                $"The {kind.Label()} approval needs the role '{roles.For(kind)}'.");
        }

        if (release.Approvals.Get(kind) is { } existing)
        {
            throw new ReleaseRuleException(RuleViolation.Conflict,
                $"The {kind.Label()} approval was already given by {existing.By}.");
        }

        if (roles.SeparationOfDuties && OtherApprovalHeldBy(release, actor, kind) is { } held)
        {
            throw new ReleaseRuleException(RuleViolation.Conflict,
                $"{actor.Name} already gave the {held.Label()} approval: one person cannot hold both approvals.");
        }

        if (order.HasCycle)
        {
            throw new ReleaseRuleException(RuleViolation.Conflict,
                $"No approval while the deploy order has a cycle. {order.Error}");
        }

        if (!release.Repos.Any(r => !r.Excluded))
        {
            throw new ReleaseRuleException(RuleViolation.Conflict,
                "Every repo of this release is excluded: there is nothing to approve.");
        }

        EnsureNothingStale(release, "approval");
    }

    /// <summary>
    /// Whether <paramref name="approval"/> was given by <paramref name="actor"/>: the same id when both
    /// carry one (one person under two names is still one person; two people sharing a name are two);
    /// the same name for an approval stored before ids were recorded, or an actor without an id.
    /// </summary>
    public static bool GivenBy(Approval approval, Actor actor) =>
        approval.ById is { } byId && actor.Id is { } actorId
            ? string.Equals(byId, actorId, StringComparison.Ordinal)
            : string.Equals(approval.By, actor.Name, StringComparison.Ordinal);

    /// <summary>The kind of another approval <paramref name="actor"/> already holds on the release, if any.</summary>
    public static ApprovalKind? OtherApprovalHeldBy(ReleaseState release, Actor actor, ApprovalKind kind)
    {
        foreach (var (otherKind, other) in release.Approvals.Given())
        {
            if (otherKind != kind && GivenBy(other, actor))
            {
                return otherKind;
            }
        }

        return null;
    }

    /// <summary>Throws when <paramref name="actor"/> may not withdraw the <paramref name="kind"/> approval.</summary>
    public static void EnsureMayWithdraw(ReleaseState release, Actor actor, ApprovalKind kind, ApprovalRoles roles)
    {
        if (!MayApprove(actor, kind, roles))
        {
            throw new ReleaseRuleException(RuleViolation.Forbidden,
                $"Withdrawing the {kind.Label()} approval needs the role '{roles.For(kind)}'.");
        }

        if (release.Approvals.Get(kind) is null)
        {
            throw new ReleaseRuleException(RuleViolation.Conflict, $"There is no {kind.Label()} approval to withdraw.");
        }
    }

    /// <summary>Every approval makes a release approved; anything less leaves it pending.</summary>
    public static ReleaseStatus StatusFor(Approvals approvals) =>
        approvals.IsComplete ? ReleaseStatus.Approved : ReleaseStatus.Pending;

    /// <summary>What an approval given now covers: every included repo and its head commit, by name.</summary>
    public static IReadOnlyList<CoveredCommit> CoversOf(IEnumerable<ReleaseRepo> repos) =>
        repos.Where(r => !r.Excluded).OrderBy(r => r.Name, StringComparer.Ordinal).Select(r => new CoveredCommit(r.Name, r.HeadSha)).ToList();

    /// <summary>
    /// An approval covers the exact commits it saw. Returns why approvals given on
    /// <paramref name="before"/> no longer hold for <paramref name="after"/>: a different head
    /// commit in an included repo, or a different set of included repos. Null when they still hold.
    /// </summary>
    public static string? WhyApprovalsAreStale(IEnumerable<ReleaseRepo> before, IEnumerable<ReleaseRepo> after) =>
        Uncovered(CoversOf(before), after)?.Reason;

    /// <summary>
    /// What <paramref name="repos"/> hold that the <paramref name="covered"/> commits (an approval's)
    /// do not: included repos the approval did not see, repos it saw that are no longer included,
    /// and included repos whose head moved. Null when the approval covers them exactly.
    /// </summary>
    public static CoverageGap? Uncovered(IEnumerable<CoveredCommit> covered, IEnumerable<ReleaseRepo> repos)
    {
        var oldHeads = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var commit in covered)
        {
            oldHeads[commit.Repo] = commit.Sha;
        }

        var newHeads = repos.Where(r => !r.Excluded).ToDictionary(r => r.Name, r => r.HeadSha, StringComparer.Ordinal);
        var added = newHeads.Keys.Except(oldHeads.Keys).Order(StringComparer.Ordinal).ToList();
        var removed = oldHeads.Keys.Except(newHeads.Keys).Order(StringComparer.Ordinal).ToList();
        var moved = newHeads
            .Where(r => oldHeads.TryGetValue(r.Key, out var old) && old != r.Value)
            .Select(r => new MovedHead(r.Key, oldHeads[r.Key], r.Value))
            .OrderBy(m => m.Repo, StringComparer.Ordinal)
            .ToList();
        if (added.Count == 0 && removed.Count == 0 && moved.Count == 0)
        {
            return null;
        }

        return new CoverageGap(
            added.Select(name => new MovedHead(name, null, newHeads[name])).ToList(),
            removed.Select(name => new MovedHead(name, oldHeads[name], null)).ToList(),
            moved);
    }

    /// <summary>Throws when an included repo of <paramref name="release"/> is stale (its last comparison failed).</summary>
    public static void EnsureNothingStale(ReleaseState release, string doing)
    {
        var stale = StaleRepos(release.Repos);
        if (stale.Count > 0)
        {
            throw new ReleaseRuleException(RuleViolation.Conflict, WhyStaleBlocks(stale, doing));
        }
    }

    /// <summary>The included repos the last comparison could not reach, by name.</summary>
    public static IReadOnlyList<string> StaleRepos(IEnumerable<ReleaseRepo> repos) =>
        repos.Where(r => r is { Stale: true, Excluded: false }).Select(r => r.Name).Order(StringComparer.Ordinal).ToList();

    public static string WhyStaleBlocks(IReadOnlyList<string> stale, string doing) =>
        $"No {doing} while {string.Join(", ", stale)} could not be compared (stale): refresh until it compares, or exclude it.";

    /// <summary>A commit as people read it: its first 7 characters.</summary>
    public static string Short(string? sha) => sha is null ? "none" : sha.Length > 7 ? sha[..7] : sha;
}

/// <summary>A repo whose head an approval saw as <see cref="Before"/> and the release now has as <see cref="After"/> (null: not included).</summary>
public sealed record MovedHead(string Repo, string? Before, string? After);

/// <summary>Why approvals no longer cover a release's commits: see <see cref="ApprovalRules.Uncovered"/>.</summary>
public sealed record CoverageGap(IReadOnlyList<MovedHead> Added, IReadOnlyList<MovedHead> Removed, IReadOnlyList<MovedHead> Moved)
{
    /// <summary>"now included: x; no longer included: y; new commits in z (a1b2c3d → e4f5a6b)".</summary>
    public string Reason
    {
        get
        {
            var reasons = new List<string>();
            if (Added.Count > 0)
            {
                reasons.Add($"now included: {string.Join(", ", Added.Select(r => r.Repo))}");
            }

            if (Removed.Count > 0)
            {
                reasons.Add($"no longer included: {string.Join(", ", Removed.Select(r => r.Repo))}");
            }

            if (Moved.Count > 0)
            {
                reasons.Add("new commits in " + string.Join(", ",
                    Moved.Select(m => $"{m.Repo} ({ApprovalRules.Short(m.Before)} → {ApprovalRules.Short(m.After)})")));
            }

            return string.Join("; ", reasons);
        }
    }

    /// <summary>One history change per repo: <c>&lt;repo&gt; head</c>, the covered commit → the current one.</summary>
    public IReadOnlyList<FieldChange> Changes =>
        Moved.Concat(Added).Concat(Removed)
            .OrderBy(m => m.Repo, StringComparer.Ordinal)
            .Select(m => new FieldChange($"{m.Repo} head", m.Before, m.After))
            .ToList();
}
