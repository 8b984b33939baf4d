using OrleansReleases.Grains.Domain;

namespace OrleansReleases.Grains.Releases;

/// <summary>One repo of a deploy plan: the commit to deploy (the one the approvals cover), what it waits for, and its last report.</summary>
public sealed record PlanStep(string Repo, string Sha, IReadOnlyList<string> DependsOn, RepoDeployment? Deployment);

/// <summary>
/// What pipelines follow (<c>GET /api/releases/{id}/plan</c>): the included repos in deploy order,
/// layer 1 first, each at its approved commit; <see cref="Rollback"/> the layers of the repos already
/// deployed (reported success), last layer first.
/// </summary>
public sealed record DeployPlan(
    string ReleaseId,
    string SourceBranch,
    string DestBranch,
    ReleaseStatus Status,
    IReadOnlyList<IReadOnlyList<PlanStep>> Layers,
    IReadOnlyList<IReadOnlyList<PlanStep>> Rollback)
{
    /// <summary>The plan of a release that may deploy (approved, deploying or deployed); 409 otherwise, and while the deploy order has a cycle.</summary>
    public static DeployPlan From(ReleaseView release)
    {
        if (release.Status is not (ReleaseStatus.Approved or ReleaseStatus.Deploying or ReleaseStatus.Deployed))
        {
            throw new ReleaseRuleException(RuleViolation.Conflict,
                $"Release {release.Id} is {release.Status.ToString().ToLowerInvariant()}: it has a plan once both the Dev and the QA approval are in.");
        }

        if (release.DeployOrder.HasCycle)
        {
            throw new ReleaseRuleException(RuleViolation.Conflict, $"The deploy order has a cycle. {release.DeployOrder.Error}");
        }

        var covers = new[] { release.DevApproval, release.QaApproval }
            .Select(a => a?.Covers).FirstOrDefault(c => c is { Count: > 0 });
        var approved = (covers ?? release.Repos.Where(r => !r.Excluded).Select(r => new CoveredCommit(r.Name, r.HeadSha)).ToList())
            .ToDictionary(c => c.Repo, c => c.Sha, StringComparer.Ordinal);
        var repos = release.Repos.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var included = release.Repos.Where(r => !r.Excluded).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);

        PlanStep Step(string name)
        {
            var repo = repos[name];
            return new PlanStep(name, approved.GetValueOrDefault(name, repo.HeadSha),
                repo.DependsOn.Where(included.Contains).ToList(), repo.Deployment);
        }

        var layers = release.DeployOrder.Layers.Select(layer => (IReadOnlyList<PlanStep>)layer.Select(Step).ToList()).ToList();
        var rollback = layers.AsEnumerable().Reverse()
            .Select(layer => (IReadOnlyList<PlanStep>)layer.Where(s => s.Deployment?.State == DeploymentState.Success).ToList())
            .Where(layer => layer.Count > 0)
            .ToList();
        return new DeployPlan(release.Id, release.SourceBranch, release.DestBranch, release.Status, layers, rollback);
    }
}
