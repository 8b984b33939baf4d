using System.Text.Json.Serialization;

namespace OrleansReleases.Grains.Domain;

/// <summary>
/// The sign-offs a release holds, by kind. The one place that knows there is an approval per
/// <see cref="ApprovalKind"/>: the rules, the state, the view and the stored JSON go through it, so
/// a new kind, or more data on an approval, is a change here and in <see cref="Approval"/> only.
/// Stored as <c>{"dev": {...}, "qa": {...}}</c> (see <see cref="ApprovalsJsonConverter"/>).
/// </summary>
[JsonConverter(typeof(ApprovalsJsonConverter))]
public sealed class Approvals
{
    /// <summary>Every kind of approval a release needs, in the order people read them (Dev, then QA).</summary>
    public static IReadOnlyList<ApprovalKind> Kinds { get; } = Enum.GetValues<ApprovalKind>();

    private readonly Dictionary<ApprovalKind, Approval> _given = [];

    /// <summary>True when every kind is given: the release may be deployed.</summary>
    public bool IsComplete => Kinds.All(_given.ContainsKey);

    public bool IsEmpty => _given.Count == 0;

    public Approval? Get(ApprovalKind kind) => _given.GetValueOrDefault(kind);

    public void Give(ApprovalKind kind, Approval approval) => _given[kind] = approval.Normalized();

    /// <summary>Removes the <paramref name="kind"/> approval; returns it, or null when there was none.</summary>
    public Approval? Withdraw(ApprovalKind kind) => _given.Remove(kind, out var withdrawn) ? withdrawn : null;

    public void Clear() => _given.Clear();

    /// <summary>The given approvals, in <see cref="Kinds"/> order.</summary>
    public IEnumerable<(ApprovalKind Kind, Approval Approval)> Given() =>
        Kinds.Where(_given.ContainsKey).Select(kind => (kind, _given[kind]));
}
