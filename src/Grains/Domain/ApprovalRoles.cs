namespace OrleansReleases.Grains.Domain;

/// <summary>
/// The role names that allow each approval (settings <c>Auth:Roles:DevLead</c> and <c>Auth:Roles:Qa</c>),
/// and whether one identity may hold both approvals (<c>Auth:SeparationOfDuties</c>; true: it may not).
/// </summary>
public sealed record ApprovalRoles(string DevLead = "release-dev-lead", string Qa = "release-qa", bool SeparationOfDuties = true)
{
    /// <summary>What failing or pending CI checks of included repos do to approvals (<c>Releases:Gate:Checks</c>).</summary>
    public ChecksRule Checks { get; init; } = ChecksRule.BlockFailure;

    public string For(ApprovalKind kind) => kind switch
    {
        ApprovalKind.Dev => DevLead,
        ApprovalKind.Qa => Qa,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
