using System.Text.Json.Serialization;

namespace OrleansReleases.Grains.Domain;

/// <summary>
/// Everything a release is, as its grain persists it. Changed only through <see cref="Release"/>,
/// which enforces the rules. The history is not kept here (it lives in its own table and grows
/// forever); only the entries not yet confirmed written there wait in <see cref="UnpublishedHistory"/>.
/// </summary>
public sealed class ReleaseState
{
    public string Id { get; set; } = "";
    public string SourceBranch { get; set; } = "";
    public string DestBranch { get; set; } = "";
    public ReleaseStatus Status { get; set; }
    public string Notes { get; set; } = "";
    public string BreakingChanges { get; set; } = "";
    public string CreatedBy { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime LastRefreshedAt { get; set; }

    /// <summary>Grows by one with every change; 0 means the release does not exist.</summary>
    public long Version { get; set; }

    public Approvals Approvals { get; set; } = new();

    /// <summary>
    /// The last ticket handed out to a comparison of the branches (refresh or deploy), see
    /// <see cref="Release.BeginComparison"/>. Tickets grow strictly, across activations and silos.
    /// </summary>
    public long ComparisonsBegun { get; set; }

    /// <summary>The ticket of the comparison the repos come from: an older one is never applied over it.</summary>
    public long LastAppliedComparison { get; set; }

    /// <summary>
    /// Reads the Dev approval of a release stored before <see cref="Approvals"/> (a top-level
    /// <c>devApproval</c>) into <see cref="Approvals"/>. Never written: it always reads null.
    /// </summary>
    [Obsolete("Migration of stored state only: use Approvals.")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Approval? DevApproval
    {
        get => null;
        set => MoveIntoApprovals(ApprovalKind.Dev, value);
    }

    /// <summary>As <see cref="DevApproval"/>, for a stored top-level <c>qaApproval</c>.</summary>
    [Obsolete("Migration of stored state only: use Approvals.")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Approval? QaApproval
    {
        get => null;
        set => MoveIntoApprovals(ApprovalKind.Qa, value);
    }

    public List<ReleaseRepo> Repos { get; set; } = [];
    public List<string> Warnings { get; set; } = [];
    public List<HistoryEntry> UnpublishedHistory { get; set; } = [];

    /// <summary>Notices for the chat channel not yet confirmed written to the outbox; published with the history.</summary>
    public List<ReleaseNotice> UnpublishedNotices { get; set; } = [];

    /// <summary>Where chat hears about this release (the channel it was created from, or the default channel); null for none.</summary>
    public string? ChatChannelId { get; set; }

    /// <summary>The summary post the bot keeps current.</summary>
    public string? ChatPostId { get; set; }

    /// <summary>The creator's <see cref="Actor.Id"/> (<see cref="CreatedBy"/> is their name); null for releases created before ids were recorded.</summary>
    public string? CreatedById { get; set; }

    [JsonIgnore]
    public bool Exists => Version > 0;

    public ReleaseRepo? FindRepo(string name) => Repos.Find(r => r.Name == name);

    private void MoveIntoApprovals(ApprovalKind kind, Approval? approval)
    {
        if (approval is not null)
        {
            Approvals.Give(kind, approval);
        }
    }
}
