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

    public Approval? DevApproval { get; set; }
    public Approval? QaApproval { get; set; }
    public List<ReleaseRepo> Repos { get; set; } = [];
    public List<string> Warnings { get; set; } = [];
    public List<HistoryEntry> UnpublishedHistory { get; set; } = [];

    /// <summary>Notices for the chat channel not yet confirmed written to the outbox; published with the history.</summary>
    public List<ReleaseNotice> UnpublishedNotices { get; set; } = [];

    /// <summary>Where chat hears about this release (the channel it was created from, or the default channel); null for none.</summary>
    public string? ChatChannelId { get; set; }

    /// <summary>The summary post the bot keeps current.</summary>
    public string? ChatPostId { get; set; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool Exists => Version > 0;

    public Approval? ApprovalOf(ApprovalKind kind) => kind == ApprovalKind.Dev ? DevApproval : QaApproval;

    public ReleaseRepo? FindRepo(string name) => Repos.Find(r => r.Name == name);
}
