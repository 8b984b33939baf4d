using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Insights;
using OrleansReleases.Web.Problems;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace OrleansReleases.Web.Endpoints;

/// <summary>
/// The query of <c>GET /api/insights</c>: a destination branch (all when absent) and a range of UTC
/// days as ISO dates. Every value arrives as text so that a bad one is answered with a 400 that says why.
/// </summary>
public sealed record InsightsQuery(
    [FromQuery(Name = "dest")] string? Dest,
    [FromQuery(Name = "from")] string? From,
    [FromQuery(Name = "to")] string? To);

/// <summary><c>/api/insights</c>: DORA figures and the gate's own, computed from the releases and their history.</summary>
public static class InsightsEndpoints
{
    public static RouteGroupBuilder MapInsightsEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/insights", GetInsightsAsync)
            .WithTags("Insights")
            .WithName("GetInsights")
            .WithSummary("DORA figures and the gate's own, from the releases themselves")
            .WithDescription("Deployment frequency (by ISO week, UTC), lead time for changes (commit author time to its repo's success report), "
                + "change failure rate, time to restore (a repo's failure report to its next success), and the gate's figures "
                + "(created → approved, approved → deployed, approvals given and dismissed by new commits). "
                + "from and to are ISO dates (UTC days, both included); by default the last 90 days. dest narrows to one destination branch. "
                + "400 for a bad date, from after to, or a range over 1100 days.")
            .ProducesReleaseProblems(Status400BadRequest);
        return api;
    }

    public static async Task<Results<Ok<InsightsReport>, ProblemHttpResult>> GetInsightsAsync(
        [AsParameters] InsightsQuery query, InsightsService insights, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(query.Dest) && BranchName.Problem(query.Dest) is { } destProblem)
        {
            return ReleaseProblems.BadRequest($"dest {destProblem}.");
        }

        if (ParseRange(query.From, query.To, clock) is not { } range)
        {
            return ReleaseProblems.BadRequest(RangeProblem(query.From, query.To, clock)!);
        }

        var dest = string.IsNullOrEmpty(query.Dest) ? null : query.Dest;
        return TypedResults.Ok(await insights.ComputeAsync(dest, range, cancellationToken));
    }

    /// <summary>
    /// The range from <c>from</c> and <c>to</c> (ISO dates, <c>yyyy-MM-dd</c>); a missing <c>to</c> is today (UTC),
    /// a missing <c>from</c> 89 days before <c>to</c>. Null when a value is bad (see <see cref="RangeProblem"/>).
    /// </summary>
    public static InsightRange? ParseRange(string? from, string? to, TimeProvider clock) =>
        RangeProblem(from, to, clock) is null ? Read(from, to, clock) : null;

    /// <summary>Why a range is refused; null when it is fine.</summary>
    public static string? RangeProblem(string? from, string? to, TimeProvider clock)
    {
        if (!string.IsNullOrEmpty(from) && !TryDate(from, out _))
        {
            return $"from must be an ISO date (yyyy-MM-dd), not '{from}'.";
        }

        if (!string.IsNullOrEmpty(to) && !TryDate(to, out _))
        {
            return $"to must be an ISO date (yyyy-MM-dd), not '{to}'.";
        }

        var range = Read(from, to, clock);
        if (range.From > range.To)
        {
            return $"from ({range.From:yyyy-MM-dd}) is after to ({range.To:yyyy-MM-dd}).";
        }

        return range.To.DayNumber - range.From.DayNumber + 1 > InsightRange.MaxDays
            ? $"The range is {range.To.DayNumber - range.From.DayNumber + 1} days; at most {InsightRange.MaxDays} are answered at once."
            : null;
    }

    private static InsightRange Read(string? from, string? to, TimeProvider clock)
    {
        var end = TryDate(to, out var toDate) ? toDate : DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var start = TryDate(from, out var fromDate) ? fromDate : end.AddDays(-(InsightRange.DefaultDays - 1));
        return new InsightRange(start, end);
    }

    private static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
