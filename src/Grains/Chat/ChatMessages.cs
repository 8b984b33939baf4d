using System.Text.RegularExpressions;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Grains.Chat;

/// <summary>
/// Every text the bot posts, in one place (the formats of seed-design.md). Every value from users
/// or repositories goes through <see cref="ChatMarkdown"/>: branch names in code spans that cannot
/// be broken out of, people as <c>@username</c> only when Mattermost has that username (the set
/// passed in), else as escaped text.
/// </summary>
public static partial class ChatMessages
{
    public static string Help(string botName) => $"""
        **OrleansReleases** — what I can do:
        | Command | Action |
        |---------|--------|
        | `@{botName} create-release <source> <dest>` | Compares the branches in every repository and creates a release, e.g. `@{botName} create-release uat master` |
        | `@{botName} releases` | Lists the open releases with links |
        | `@{botName} status <id>` | Status, approvals and deploy progress of a release |
        | `@{botName} help` | Shows this help |
        """;

    public static string Comparing(string source, string dest, int compared = 0, int total = 0) =>
        total == 0
            ? $"⏳ Comparing {Branches(source, dest)} in every repository…"
            : $"⏳ Comparing {Branches(source, dest)}: {compared}/{total} repositories compared…";

    /// <summary>"`source` → `dest`", each name in its own code span.</summary>
    public static string Branches(string source, string dest) => $"{ChatMarkdown.Code(source)} → {ChatMarkdown.Code(dest)}";

    /// <summary>The people a post about <paramref name="release"/> (and <paramref name="notice"/>) names: look them up before rendering.</summary>
    public static IEnumerable<string> PeopleIn(ReleaseView release, OutboxNotice? notice = null)
    {
        var people = new[] { release.DevApproval?.By, release.QaApproval?.By }.OfType<string>();
        return notice is { Kind: NoticeKind.Ready } ? people.Concat(Approvers(notice.Detail).Select(a => a.Name)) : people;
    }

    /// <summary>The summary post, kept current while the release changes.</summary>
    public static string Summary(ReleaseView release, DashboardLinks links, IReadOnlySet<string> usernames)
    {
        var summary = release.ToSummary();
        string Mark(Approval? approval) => approval is null ? "☐" : $"☑ {ChatMarkdown.Person(approval.By, usernames)}";
        var status = release.Status switch
        {
            ReleaseStatus.Approved => "🟢 approved, ready to deploy",
            ReleaseStatus.Deployed => "🚀 deployed",
            ReleaseStatus.Deploying => $"🚚 deploying: {DeployProgress(release)}",
            _ => "🟡 pending",
        };
        return $"""
            ## Release: {Branches(release.SourceBranch, release.DestBranch)}
            **Repositories:** {summary.RepoCount} | **Commits:** {summary.CommitCount} | **Failing checks:** {FailingChecks(release)}
            **Status:** {status} · Dev {Mark(release.DevApproval)} · QA {Mark(release.QaApproval)}
            [View Dashboard]({links.Release(release.Id)})
            """;
    }

    /// <summary>"none", or "2 repos" whose checks fail (included repos only).</summary>
    private static string FailingChecks(ReleaseView release) =>
        release.Repos.Count(r => !r.Excluded && r.Checks?.State == CheckState.Failure) is var n and > 0 ? $"{n} {(n == 1 ? "repo" : "repos")}" : "none";

    public static string Notice(OutboxNotice notice, ReleaseView release, DashboardLinks links, IReadOnlySet<string> usernames) => notice.Kind switch
    {
        NoticeKind.Ready => $"""
            ✅ **Release Ready to Deploy**
            {Branches(release.SourceBranch, release.DestBranch)} | {release.ToSummary().RepoCount} repositories
            {ApprovedBy(notice.Detail, usernames)}
            [View Details]({links.Release(release.Id)})
            """,
        NoticeKind.DeployFailed => $"""
            ❌ **Deploy failed** in `{release.SourceBranch}` → `{release.DestBranch}`
            {notice.Detail}
            [View Details]({links.Release(release.Id)})
            """,
        NoticeKind.DeployFinished => $"""
            🚀 **Release Deployed**: `{release.SourceBranch}` → `{release.DestBranch}` | {release.ToSummary().RepoCount} repositories
            {notice.Detail}
            [View Details]({links.Release(release.Id)})
            """,
        NoticeKind.FreezeOverridden => $"""
            🧊 **Freeze overridden** for `{release.SourceBranch}` → `{release.DestBranch}`
            {notice.Detail}
            [View Details]({links.Release(release.Id)})
            """,
        NoticeKind.ApprovalWithdrawnByOther => $"""
            ↩️ **Approval withdrawn** for `{release.SourceBranch}` → `{release.DestBranch}`
            {notice.Detail}
            [View Details]({links.Release(release.Id)})
            """,
        _ => $"""
            ⚠️ **Approvals dismissed** for {Branches(release.SourceBranch, release.DestBranch)}
            {ChatMarkdown.Text(notice.Detail)}
            [View Details]({links.Release(release.Id)})
            """,
    };

    public static string OpenReleases(IReadOnlyList<ReleaseSummary> releases, DashboardLinks links)
    {
        if (releases.Count == 0)
        {
            return "There are no open releases.";
        }

        var lines = releases.Select(r =>
            $"- {Branches(r.SourceBranch, r.DestBranch)} · {r.RepoCount} repos · {r.Status.ToString().ToLowerInvariant()} · " +
            $"Dev {(r.DevApproved ? "☑" : "☐")} QA {(r.QaApproved ? "☑" : "☐")} · [{r.Id}]({links.Release(r.Id)})");
        return $"**Open releases**\n{string.Join('\n', lines)}";
    }

    /// <summary>A failure: <paramref name="what"/> is the bot's own Markdown, <paramref name="why"/> is escaped.</summary>
    public static string Failed(string what, string why) => $"❌ {what} failed: {ChatMarkdown.Text(why)}";

    /// <summary>
    /// The Ready notice's "Approved by: @dana (Dev), @quinn (QA)" (written by the domain) with each
    /// approver rendered as a person; a detail of another shape is written as escaped text.
    /// </summary>
    private static string ApprovedBy(string detail, IReadOnlySet<string> usernames)
    {
        var approvers = Approvers(detail);
        return approvers.Count == 0
            ? ChatMarkdown.Text(detail)
            : "Approved by: " + string.Join(", ", approvers.Select(a => $"{ChatMarkdown.Person(a.Name, usernames)} ({ChatMarkdown.Text(a.Kind)})"));
    }

    private static List<(string Name, string Kind)> Approvers(string detail)
    {
        var match = ApprovedByDetail().Match(detail);
        return match.Success
            ? match.Groups["name"].Captures.Zip(match.Groups["kind"].Captures, (n, k) => (n.Value, k.Value)).ToList()
            : [];
    }

    [GeneratedRegex(@"^Approved by: (?:@(?<name>.+?) \((?<kind>Dev|QA)\)(?:, |$))+$", RegexOptions.Singleline)]
    private static partial Regex ApprovedByDetail();

    /// <summary>"3/5 repos deployed, 1 in progress, 1 failed (auth-service)"; repo names escaped.</summary>
    public static string DeployProgress(ReleaseView release)
    {
        var included = release.Repos.Where(r => !r.Excluded).ToList();
        int Count(DeploymentState state) => included.Count(r => r.Deployment?.State == state);
        var failed = included.Where(r => r.Deployment?.State == DeploymentState.Failure).Select(r => ChatMarkdown.Text(r.Name)).ToList();
        return $"{Count(DeploymentState.Success)}/{included.Count} repos deployed"
            + (Count(DeploymentState.InProgress) > 0 ? $", {Count(DeploymentState.InProgress)} in progress" : "")
            + (failed.Count > 0 ? $", {failed.Count} failed ({string.Join(", ", failed)})" : "");
    }

    /// <summary>The answer to "@bot status &lt;id&gt;": every value from users or repos escaped, approvers named as people only when they are usernames.</summary>
    public static string Status(ReleaseView release, DashboardLinks links, IReadOnlySet<string> usernames)
    {
        string Mark(Approval? approval) => approval is null ? "☐" : $"☑ {ChatMarkdown.Person(approval.By, usernames)}";
        var status = release.Status.ToString().ToLowerInvariant();
        var deploy = release.Status is ReleaseStatus.Deploying or ReleaseStatus.Deployed ? $" · {DeployProgress(release)}" : "";
        return $"{ChatMarkdown.Code(release.Id)} {ChatMarkdown.Code(release.SourceBranch)} → {ChatMarkdown.Code(release.DestBranch)}: **{status}** · Dev {Mark(release.DevApproval)} · QA {Mark(release.QaApproval)}{deploy} · [View]({links.Release(release.Id)})";
    }
}
