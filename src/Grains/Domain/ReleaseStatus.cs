namespace OrleansReleases.Grains.Domain;

/// <summary>Where a release stands in its workflow.</summary>
public enum ReleaseStatus
{
    /// <summary>Waiting for the Dev and QA approvals.</summary>
    Pending,

    /// <summary>Both approvals are in: ready to deploy.</summary>
    Approved,

    /// <summary>Deployed and frozen: no further change is allowed.</summary>
    Deployed,

    /// <summary>
    /// Approved, and pipelines have begun reporting deployments (see <see cref="DeploymentRules"/>):
    /// from the first report until every included repo succeeded. What ships is fixed meanwhile.
    /// </summary>
    Deploying,
}
