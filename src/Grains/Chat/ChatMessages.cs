using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Grains.Chat;

/// <summary>Every text the bot posts, in one place (the formats of seed-design.md).</summary>
public static class ChatMessages
{
    public static string Help(string botName) => $"""
        **OrleansReleases** — what I can do:
        | Command | Action |
        |---------|--------|
        | `@{botName} create-release <source> <dest>` | Compares the branches in every repository and creates a release, e.g. `@{botName} create-release uat master` |
        | `@{botName} releases` | Lists the open releases with links |
        | `@{botName} help` | Shows this help |
        """;

    public static string Comparing(string source, string dest, int compared = 0, int total = 0) =>
        total == 0
            ? $"⏳ Comparing `{source}` → `{dest}` in every repository…"
            : $"⏳ Comparing `{source}` → `{dest}`: {compared}/{total} repositories compared…";

    /// <summary>The summary post, kept current while the release changes.</summary>
    public static string Summary(ReleaseView release, DashboardLinks links)
    {
        var summary = release.ToSummary();
        static string Mark(Approval? approval) => approval is null ? "☐" : $"☑ @{approval.By}";
        var status = release.Status switch
        {
            ReleaseStatus.Approved => "🟢 approved, ready to deploy",
            ReleaseStatus.Deployed => "🚀 deployed",
            _ => "🟡 pending",
        };
        return $"""
            ## Release: `{release.SourceBranch}` → `{release.DestBranch}`
            **Repositories:** {summary.RepoCount} | **Commits:** {summary.CommitCount}
            **Status:** {status} · Dev {Mark(release.DevApproval)} · QA {Mark(release.QaApproval)}
            [View Dashboard]({links.Release(release.Id)})
            """;
    }

    public static string Notice(OutboxNotice notice, ReleaseView release, DashboardLinks links) => notice.Kind switch
    {
        NoticeKind.Ready => $"""
            ✅ **Release Ready to Deploy**
            `{release.SourceBranch}` → `{release.DestBranch}` | {release.ToSummary().RepoCount} repositories
            {notice.Detail}
            [View Details]({links.Release(release.Id)})
            """,
        NoticeKind.ApprovalWithdrawnByOther => $"""
            ↩️ **Approval withdrawn** for `{release.SourceBranch}` → `{release.DestBranch}`
            {notice.Detail}
            [View Details]({links.Release(release.Id)})
            """,
        _ => $"""
            ⚠️ **Approvals dismissed** for `{release.SourceBranch}` → `{release.DestBranch}`
            {notice.Detail}
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
            $"- `{r.SourceBranch}` → `{r.DestBranch}` · {r.RepoCount} repos · {r.Status.ToString().ToLowerInvariant()} · " +
            $"Dev {(r.DevApproved ? "☑" : "☐")} QA {(r.QaApproved ? "☑" : "☐")} · [{r.Id}]({links.Release(r.Id)})");
        return $"**Open releases**\n{string.Join('\n', lines)}";
    }

    public static string Failed(string what, string why) => $"❌ {what} failed: {why}";
}
