namespace OrleansReleases.Grains.Domain;

/// <summary>
/// Who may deploy (report a repo's deployment, mark a release deployed): <c>Auth:Roles:Deployer</c>
/// or the Dev lead role; and who may run the stop-the-line switch or go through a freeze:
/// <c>Auth:Roles:Admin</c>.
/// </summary>
public sealed record DeployRoles(string Deployer = "release-deployer", string DevLead = "release-dev-lead", string Admin = "release-admin")
{
    public bool MayDeploy(Actor actor) => actor.HasRole(Deployer) || actor.HasRole(DevLead);

    public bool IsAdmin(Actor actor) => actor.HasRole(Admin);

    public void EnsureMayDeploy(Actor actor, string doing)
    {
        if (!MayDeploy(actor))
        {
            throw new ReleaseRuleException(RuleViolation.Forbidden, $"{doing} needs the role {Deployer} or {DevLead}.");
        }
    }

    public void EnsureAdmin(Actor actor, string doing)
    {
        if (!IsAdmin(actor))
        {
            throw new ReleaseRuleException(RuleViolation.Forbidden, $"{doing} needs the role {Admin}.");
        }
    }
}
