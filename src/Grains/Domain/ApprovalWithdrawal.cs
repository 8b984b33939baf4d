namespace OrleansReleases.Grains.Domain;

/// <summary>
/// How a withdrawn approval is told: whose approval it was, and, when someone else withdrew it, by
/// whom, both in the history and (as <see cref="NoticeKind.ApprovalWithdrawnByOther"/>) to the chat channel.
/// </summary>
public static class ApprovalWithdrawal
{
    /// <summary>True when <paramref name="actor"/> is not the person who gave <paramref name="withdrawn"/> (by id; by name for approvals stored before ids).</summary>
    public static bool ByOther(Approval withdrawn, Actor actor) =>
        withdrawn.ById is not null && actor.Id is not null
            ? !string.Equals(withdrawn.ById, actor.Id, StringComparison.Ordinal)
            : !string.Equals(withdrawn.By, actor.Name, StringComparison.Ordinal);

    public static string Detail(ApprovalKind kind, Approval withdrawn, Actor actor) =>
        ByOther(withdrawn, actor)
            ? $"{kind.Label()} approval of {withdrawn.By} withdrawn by {actor.Name}"
            : $"{kind.Label()} approval of {withdrawn.By} withdrawn";
}
