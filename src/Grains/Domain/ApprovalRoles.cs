namespace OrleansReleases.Grains.Domain;

/// <summary>The role names that allow each approval (settings <c>Auth:Roles:DevLead</c> and <c>Auth:Roles:Qa</c>).</summary>
public sealed record ApprovalRoles(string DevLead = "release-dev-lead", string Qa = "release-qa")
{
    public string For(ApprovalKind kind) => kind == ApprovalKind.Dev ? DevLead : Qa;
}
