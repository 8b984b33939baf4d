namespace OrleansReleases.Grains.Domain;

/// <summary>
/// The rules of a deploy that pipelines follow layer by layer (plain functions over a release's
/// state, used by <see cref="Release"/>):
/// <list type="bullet">
/// <item>only an approved release (or one already deploying) takes deployment reports;</item>
/// <item>a report names the commit the approvals cover, nothing else;</item>
/// <item>a repo of layer N may start (<c>in_progress</c> or <c>success</c>) only when every included
/// repo of the earlier layers reported <c>success</c>;</item>
/// <item>a repo that reported <c>failure</c> may be retried; one that succeeded stays succeeded;</item>
/// <item>while a freeze is in force, starting is refused unless an admin overrides it;</item>
/// <item>the release is <see cref="ReleaseStatus.Deploying"/> from the first report until every
/// included repo succeeded, then <see cref="ReleaseStatus.Deployed"/>.</item>
/// </list>
/// </summary>
public static class DeploymentRules
{
    /// <summary>Shortest commit prefix a report may name.</summary>
    public const int MinShaLength = 7;

    /// <summary>True for the states that deploy the repo (a failure report starts nothing).</summary>
    public static bool Starts(DeploymentState state) => state is DeploymentState.InProgress or DeploymentState.Success;

    /// <summary>
    /// The commit each included repo ships: what the approvals cover (for approvals stored before covers
    /// were recorded, the repos' heads).
    /// </summary>
    public static IReadOnlyDictionary<string, string> ApprovedCommits(ReleaseState state)
    {
        var covers = state.Approvals.Given().Select(g => g.Approval.Covers).FirstOrDefault(c => c is { Count: > 0 })
            ?? ApprovalRules.CoversOf(state.Repos);
        return covers.ToDictionary(c => c.Repo, c => c.Sha, StringComparer.Ordinal);
    }

    /// <summary>
    /// Checks a deployment report against the rules and answers the full commit it names. Throws a
    /// <see cref="ReleaseRuleException"/> (409 for the workflow, 404 for an unknown repo, 400 for a
    /// malformed sha) that says why, changing nothing.
    /// </summary>
    public static string EnsureMayReport(ReleaseState state, DeployOrder order, DeploymentReport report, FreezeCheck freeze)
    {
        if (state.Status == ReleaseStatus.Deployed)
        {
            throw new ReleaseRuleException(RuleViolation.Conflict, $"Release {state.Id} is deployed and can no longer change.");
        }

        if (state.Status is not (ReleaseStatus.Approved or ReleaseStatus.Deploying))
        {
            throw new ReleaseRuleException(RuleViolation.Conflict,
                $"Release {state.Id} is not approved: a repo may deploy only once both the Dev and the QA approval are in.");
        }

        var repo = state.FindRepo(report.Repo)
            ?? throw new ReleaseRuleException(RuleViolation.NotFound, $"Release {state.Id} has no repo '{report.Repo}'.");
        if (repo.Excluded)
        {
            throw new ReleaseRuleException(RuleViolation.Conflict, $"{repo.Name} is excluded from release {state.Id}: it does not ship.");
        }

        if (order.HasCycle)
        {
            throw new ReleaseRuleException(RuleViolation.Conflict, $"The deploy order has a cycle. {order.Error}");
        }

        var sha = report.Sha?.Trim() ?? "";
        if (sha.Length is < MinShaLength or > 40 || !sha.All(Uri.IsHexDigit))
        {
            throw new ReleaseRuleException(RuleViolation.InvalidInput, $"sha must be a commit: {MinShaLength} to 40 hex digits.");
        }

        if (!ApprovedCommits(state).TryGetValue(repo.Name, out var approved))
        {
            throw new ReleaseRuleException(RuleViolation.Conflict,
                $"The approvals of release {state.Id} do not cover {repo.Name}: approve the release again before it deploys.");
        }

        if (!approved.StartsWith(sha, StringComparison.OrdinalIgnoreCase))
        {
            throw new ReleaseRuleException(RuleViolation.Conflict,
                $"{repo.Name} is approved at {approved}, not at {sha}: deploy the approved commit (a newer one needs a new approval).");
        }

        if (repo.Deployment is { State: DeploymentState.Success } done && report.State != DeploymentState.Success)
        {
            throw new ReleaseRuleException(RuleViolation.Conflict,
                $"{repo.Name} already reported success at {done.At:yyyy-MM-dd HH:mm} UTC: a repo that succeeded stays deployed.");
        }

        if (Starts(report.State))
        {
            var waiting = WaitingBefore(state, order, repo.Name);
            if (waiting.Count > 0)
            {
                var layer = LayerOf(order, repo.Name);
                throw new ReleaseRuleException(RuleViolation.Conflict,
                    $"{repo.Name} is in layer {layer + 1}: it may start once every repo of the earlier layers succeeded. "
                    + $"Waiting for {string.Join(", ", waiting.Select(w => $"{w} ({Describe(state.FindRepo(w)!.Deployment)})"))}.");
            }

            if (freeze.Freeze is { } frozen && string.IsNullOrWhiteSpace(freeze.OverrideReason))
            {
                throw new ReleaseRuleException(RuleViolation.Conflict, $"{frozen.Describe()} {repo.Name} may not start deploying.");
            }
        }

        return approved;
    }

    /// <summary>The included repos of the layers before <paramref name="repo"/>'s that have not reported success.</summary>
    public static IReadOnlyList<string> WaitingBefore(ReleaseState state, DeployOrder order, string repo)
    {
        var layer = LayerOf(order, repo);
        return order.Layers.Take(Math.Max(layer, 0))
            .SelectMany(names => names)
            .Where(name => state.FindRepo(name)?.Deployment?.State != DeploymentState.Success)
            .ToList();
    }

    /// <summary>The layer (0 first) of <paramref name="repo"/>; -1 when it has none.</summary>
    public static int LayerOf(DeployOrder order, string repo)
    {
        for (var i = 0; i < order.Layers.Count; i++)
        {
            if (order.Layers[i].Contains(repo, StringComparer.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Included repos whose last report is a failure.</summary>
    public static IReadOnlyList<string> Failed(ReleaseState state) =>
        state.Repos.Where(r => !r.Excluded && r.Deployment?.State == DeploymentState.Failure).Select(r => r.Name).ToList();

    /// <summary>True when every included repo reported success.</summary>
    public static bool AllSucceeded(ReleaseState state) =>
        state.Repos.Where(r => !r.Excluded).All(r => r.Deployment?.State == DeploymentState.Success);

    /// <summary>The status a release has after an accepted report.</summary>
    public static ReleaseStatus StatusAfterReport(ReleaseState state) =>
        AllSucceeded(state) ? ReleaseStatus.Deployed : ReleaseStatus.Deploying;

    /// <summary>Refuses "Mark deployed" while a repo's last report is a failure.</summary>
    public static void EnsureNoFailure(ReleaseState state)
    {
        var failed = Failed(state);
        if (failed.Count > 0)
        {
            throw new ReleaseRuleException(RuleViolation.Conflict,
                $"The last deployment of {string.Join(", ", failed)} failed: retry it (a pipeline reports success) before the release is marked deployed.");
        }
    }

    /// <summary>Refuses a change that would alter what ships while the release is deploying.</summary>
    public static void EnsureNotDeploying(ReleaseState state, string change)
    {
        if (state.Status == ReleaseStatus.Deploying)
        {
            throw new ReleaseRuleException(RuleViolation.Conflict,
                $"Release {state.Id} is deploying: {change} would change what ships, so it waits until the deploy ends.");
        }
    }

    /// <summary>A deployment state in words, for refusals and chat.</summary>
    public static string Describe(RepoDeployment? deployment) => deployment?.State switch
    {
        null => "not started",
        DeploymentState.InProgress => "in progress",
        DeploymentState.Success => "succeeded",
        DeploymentState.Failure => "failed",
        _ => deployment.State.ToString(),
    };
}
