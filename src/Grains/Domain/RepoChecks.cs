namespace OrleansReleases.Grains.Domain;

/// <summary>The combined state of the CI checks of a commit, as the <c>checks.state</c> of a repo reads.</summary>
public enum CheckState
{
    /// <summary>No checks ran on the commit (and every local-git repo).</summary>
    None,
    Success,
    Pending,
    Failure,
}

/// <summary>
/// The CI checks of a repo's head commit: commit statuses and check runs together, without this
/// service's own <c>release-gate/*</c> statuses. <see cref="Failing"/> names the failing ones;
/// <see cref="Url"/> is where people read them (GitHub's checks page of the commit), null when none.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RepoChecks(CheckState State, IReadOnlyList<string> Failing, string? Url)
{
    public static RepoChecks None { get; } = new(CheckState.None, [], null);

    /// <summary>"failure (build, test)", "success", for history entries.</summary>
    public string Describe() =>
        State == CheckState.Failure && Failing.Count > 0
            ? $"failure ({string.Join(", ", Failing)})"
            : State.ToString().ToLowerInvariant();

    public bool Equals(RepoChecks? other) =>
        other is not null && State == other.State && Url == other.Url && (Failing ?? []).SequenceEqual(other.Failing ?? []);

    public override int GetHashCode() => HashCode.Combine(State, Url, (Failing ?? []).Count);

    /// <summary>
    /// One state from many contexts (each a status or a check run): failure when any fails, else
    /// pending when any has not finished, else success; none without contexts.
    /// </summary>
    public static RepoChecks Combine(IEnumerable<(string Name, CheckState State)> contexts, string? url)
    {
        var all = contexts.ToList();
        if (all.Count == 0)
        {
            return None with { Url = url };
        }

        var failing = all.Where(c => c.State == CheckState.Failure).Select(c => c.Name).Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal).ToList();
        var state = failing.Count > 0 ? CheckState.Failure
            : all.Any(c => c.State == CheckState.Pending) ? CheckState.Pending
            : CheckState.Success;
        return new RepoChecks(state, failing, url);
    }
}

/// <summary>
/// What the checks of included repos do to approvals (setting <c>Releases:Gate:Checks</c>):
/// <c>block-failure</c> refuses approvals while a check fails, <c>require-success</c> also while
/// one is pending, <c>off</c> ignores checks.
/// </summary>
public enum ChecksRule
{
    BlockFailure,
    RequireSuccess,
    Off,
}

/// <summary>The rule of <see cref="ChecksRule"/> over a release's repos.</summary>
public static class ChecksGate
{
    /// <summary>Reads the setting's value (<c>block-failure</c>, <c>require-success</c>, <c>off</c>); null for anything else.</summary>
    public static ChecksRule? Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "block-failure" => ChecksRule.BlockFailure,
        "require-success" => ChecksRule.RequireSuccess,
        "off" => ChecksRule.Off,
        _ => null,
    };

    /// <summary>Why no approval may be given now because of checks; null when the checks allow it.</summary>
    public static string? WhyBlocked(IEnumerable<ReleaseRepo> repos, ChecksRule rule)
    {
        if (rule == ChecksRule.Off)
        {
            return null;
        }

        var included = repos.Where(r => !r.Excluded).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        var failing = included.Where(r => r.Checks?.State == CheckState.Failure).ToList();
        var pending = rule == ChecksRule.RequireSuccess ? included.Where(r => r.Checks?.State == CheckState.Pending).ToList() : [];
        if (failing.Count == 0 && pending.Count == 0)
        {
            return null;
        }

        var reasons = new List<string>();
        if (failing.Count > 0)
        {
            reasons.Add("checks fail in " + string.Join("; ", failing.Select(r =>
                r.Checks!.Failing.Count > 0 ? $"{r.Name} ({string.Join(", ", r.Checks.Failing)})" : r.Name)));
        }

        if (pending.Count > 0)
        {
            reasons.Add("checks are still running in " + string.Join(", ", pending.Select(r => r.Name)));
        }

        return $"No approval while {string.Join(", and ", reasons)}.";
    }

    public static void EnsureMayApprove(ReleaseState release, ChecksRule rule)
    {
        if (WhyBlocked(release.Repos, rule) is { } why)
        {
            throw new ReleaseRuleException(RuleViolation.Conflict, why);
        }
    }
}
