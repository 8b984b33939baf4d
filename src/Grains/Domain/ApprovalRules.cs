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

    /// <summary>
    /// An approval covers the exact commits it saw. Returns why approvals given on
    /// <paramref name="before"/> no longer hold for <paramref name="after"/>: a different head
    /// commit in an included repo, or a different set of included repos. Null when they still hold.
    /// </summary>
    public static string? WhyApprovalsAreStale(IEnumerable<ReleaseRepo> before, IEnumerable<ReleaseRepo> after)
    {
        var oldHeads = before.Where(r => !r.Excluded).ToDictionary(r => r.Name, r => r.HeadSha, StringComparer.Ordinal);
        var newHeads = after.Where(r => !r.Excluded).ToDictionary(r => r.Name, r => r.HeadSha, StringComparer.Ordinal);

        var reasons = new List<string>();
        var added = newHeads.Keys.Except(oldHeads.Keys).Order(StringComparer.Ordinal).ToList();
        var removed = oldHeads.Keys.Except(newHeads.Keys).Order(StringComparer.Ordinal).ToList();
        if (added.Count > 0)
        {
            reasons.Add($"now included: {string.Join(", ", added)}");
        }

        if (removed.Count > 0)
        {
            reasons.Add($"no longer included: {string.Join(", ", removed)}");
        }

        var moved = newHeads.Where(r => oldHeads.TryGetValue(r.Key, out var old) && old != r.Value)
            .Select(r => r.Key).Order(StringComparer.Ordinal).ToList();
        if (moved.Count > 0)
        {
            reasons.Add($"new commits in {string.Join(", ", moved)}");
        }

        return reasons.Count == 0 ? null : string.Join("; ", reasons);
    }
}
