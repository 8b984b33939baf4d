using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Web.Problems;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace OrleansReleases.Web.Endpoints;

/// <summary>
/// What a release ships, read from the sources on demand (kept out of the release's own answer so
/// a release over hundreds of repos stays small): each repo's commits, and release notes drafted from them.
/// </summary>
public static class CommitEndpoints
{
    public const string Markdown = "text/markdown";

    public static RouteGroupBuilder MapCommitEndpoints(this RouteGroupBuilder api)
    {
        var releases = api.MapGroup("/releases").WithTags("Releases");

        releases.MapGet("/{id}/repos/{name}/commits", ListCommitsAsync)
            .WithName("ListRepoCommits")
            .WithSummary("The commits a repo ships in a release")
            .WithDescription("Newest first, at most 250; total is the exact count. Read between the repo's recorded base and head commits "
                + "(not the branches), and kept once read, so it stays readable after the branches move on or are deleted. "
                + "url is the commit's page on GitHub (null for local git); compareUrl GitHub's compare view. "
                + "404 for an unknown release or repo; 409 when the source cannot read them and they were never read.")
            .ProducesReleaseProblems(Status404NotFound, Status409Conflict);

        releases.MapGet("/{id}/notes-draft", DraftNotesAsync)
            .WithName("DraftReleaseNotes")
            .WithSummary("Release notes drafted from the commits (Markdown)")
            .WithDescription("A section per included repo in deploy order; a line per pull request (title, number, link) where the source knows them, "
                + "otherwise per commit subject, oldest first; merge commits folded away. Nothing is saved.")
            .Produces<string>(Status200OK, Markdown)
            .ProducesReleaseProblems(Status404NotFound);

        return api;
    }

    public static async Task<Ok<RepoCommits>> ListCommitsAsync(string id, string name, IGrainFactory grains, ReleaseCommits commits,
        CancellationToken cancellationToken)
    {
        var release = await ReleaseAsync(grains, id);
        return TypedResults.Ok(await commits.ListAsync(release, name, cancellationToken));
    }

    public static async Task<ContentHttpResult> DraftNotesAsync(string id, IGrainFactory grains, ReleaseCommits commits, CancellationToken cancellationToken)
    {
        var release = await ReleaseAsync(grains, id);
        return TypedResults.Text(await commits.DraftNotesAsync(release, cancellationToken), $"{Markdown}; charset=utf-8");
    }

    private static async Task<ReleaseView> ReleaseAsync(IGrainFactory grains, string id) =>
        (ReleaseId.IsWellFormed(id) ? await grains.GetGrain<IReleaseGrain>(id).Get() : null)
        ?? throw new ReleaseRuleException(RuleViolation.NotFound, $"Release {id} not found.");
}
