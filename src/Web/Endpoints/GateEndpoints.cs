using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Gate;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Web.Problems;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace OrleansReleases.Web.Endpoints;

/// <summary>
/// The query of <c>GET /api/gate</c>. Every value arrives as text so that a bad one is answered with
/// a 400 that says what is allowed.
/// </summary>
public sealed record GateQuery(
    [FromQuery(Name = "repo")] string? Repo,
    [FromQuery(Name = "sha")] string? Sha,
    [FromQuery(Name = "dest")] string? Dest);

/// <summary>
/// The gate's yes: the release that clears the commit (approved or deployed, including the repo at
/// exactly that commit), its status and approvals; <see cref="Repo"/> and <see cref="Sha"/> are the
/// repo as the release names it and the full commit.
/// </summary>
public sealed record GateAnswer(
    bool Allowed,
    string ReleaseId,
    ReleaseStatus Status,
    Approval? DevApproval,
    Approval? QaApproval,
    string Repo,
    string Sha);

/// <summary>
/// <c>/api/gate</c>: may a pipeline deploy this repo at this commit into this branch? Answered from
/// the gate index (<see cref="SqlGateIndex"/>); a yes is checked against the release's grain, the
/// release as last stored, before it is given.
/// </summary>
public static class GateEndpoints
{
    public const string DeniedTitle = "Not cleared to deploy";

    public static RouteGroupBuilder MapGateEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/gate", CheckAsync)
            .WithTags("Gate")
            .WithName("CheckGate")
            .WithSummary("May this commit of a repo be deployed into a branch?")
            .WithDescription("For pipelines: 200 when an approved or deployed release into dest includes repo at exactly sha "
                + "(the full sha, or a prefix of 7 or more hex digits, any case). Otherwise 409, a problem with allowed: false "
                + "and a detail that says why: no release into dest holds the repo, the release is not approved yet, it excludes "
                + "the repo, it holds another commit, or the prefix is ambiguous.")
            .ProducesReleaseProblems(Status400BadRequest, Status409Conflict);
        return api;
    }

    public static async Task<Results<Ok<GateAnswer>, ProblemHttpResult>> CheckAsync(
        [AsParameters] GateQuery query, SqlGateIndex gate, IGrainFactory grains, HttpContext context)
    {
        if (GateInput.RepoProblem(query.Repo) is { } repoProblem)
        {
            return ReleaseProblems.BadRequest(repoProblem);
        }

        if (GateInput.ShaProblem(query.Sha) is { } shaProblem)
        {
            return ReleaseProblems.BadRequest(shaProblem);
        }

        if (BranchName.Problem(query.Dest) is { } destProblem)
        {
            return ReleaseProblems.BadRequest($"dest {destProblem}.");
        }

        var (repo, sha, dest) = (query.Repo!, query.Sha!.ToLowerInvariant(), query.Dest!);
        context.Response.Headers[HeaderNames.CacheControl] = "no-store";

        var candidates = (await gate.FindAsync(dest, repo, context.RequestAborted)).ToList();
        var checkedReleases = new Dictionary<string, ReleaseView>(StringComparer.Ordinal);
        while (true)
        {
            var verdict = GateDecision.Decide(repo, sha, dest, candidates);
            if (!verdict.Allowed)
            {
                return Denied(verdict);
            }

            var releaseId = verdict.ReleaseId!;
            if (checkedReleases.TryGetValue(releaseId, out var release))
            {
                var row = verdict.Candidate!;
                return TypedResults.Ok(new GateAnswer(true, release.Id, release.Status, release.DevApproval, release.QaApproval, row.Repo, row.Sha));
            }

            // The index is written right after the release's state: check the yes against the state itself.
            release = await grains.GetGrain<IReleaseGrain>(releaseId).Get();
            if (release is null)
            {
                candidates.RemoveAll(c => c.ReleaseId == releaseId);
                continue;
            }

            checkedReleases[releaseId] = release;
            candidates.RemoveAll(c => c.ReleaseId == releaseId);
            candidates.AddRange(SqlGateIndex.CandidatesOf(release, repo));
        }
    }

    private static ProblemHttpResult Denied(GateVerdict verdict)
    {
        var extensions = new Dictionary<string, object?> { ["allowed"] = false };
        if (verdict.ReleaseId is { } releaseId)
        {
            extensions["releaseId"] = releaseId;
        }

        return TypedResults.Problem(statusCode: Status409Conflict, title: DeniedTitle, detail: verdict.Reason, extensions: extensions);
    }
}
