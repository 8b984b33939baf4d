namespace OrleansReleases.Grains.Domain;

/// <summary>What a notice tells the release's chat channel.</summary>
public enum NoticeKind
{
    /// <summary>The second approval landed: "Release Ready to Deploy".</summary>
    Ready,

    /// <summary>New commits (or a changed set of repos) dismissed the approvals.</summary>
    ApprovalsDismissed,

    /// <summary>A repo's deployment reported failure.</summary>
    DeployFailed,

    /// <summary>The last included repo reported success: the release is deployed.</summary>
    DeployFinished,

    /// <summary>An admin deployed through a freeze, giving a reason.</summary>
    FreezeOverridden,

    /// <summary>Someone withdrew another person's approval.</summary>
    ApprovalWithdrawnByOther,
}

/// <summary>
/// Something the team must hear about, recorded by the change that caused it (the version that
/// change produced identifies it). Stored with that change, so it is never lost and never doubled:
/// the chat outbox delivers each notice once.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ReleaseNotice(long Version, NoticeKind Kind, string Detail);
