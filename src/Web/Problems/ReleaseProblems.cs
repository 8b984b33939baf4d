using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansReleases.Grains.Domain;

namespace OrleansReleases.Web.Problems;

/// <summary>RFC 9457 problem answers, and the status code of each broken rule (see docs/api.md, Conventions).</summary>
public static class ReleaseProblems
{
    public static int StatusFor(RuleViolation violation) => violation switch
    {
        RuleViolation.InvalidInput => StatusCodes.Status400BadRequest,
        RuleViolation.Forbidden => StatusCodes.Status403Forbidden,
        RuleViolation.NotFound => StatusCodes.Status404NotFound,
        RuleViolation.Conflict => StatusCodes.Status409Conflict,
        RuleViolation.VersionMismatch => StatusCodes.Status412PreconditionFailed,
        RuleViolation.Unprocessable => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status400BadRequest,
    };

    public static string TitleFor(int status) => status switch
    {
        400 => "Invalid request",
        401 => "Sign-in required",
        403 => "Not allowed",
        404 => "Not found",
        409 => "Not allowed by the release workflow",
        412 => "The release has moved on",
        413 => "Request body too large",
        415 => "Unsupported media type",
        422 => "Nothing to release",
        503 => "Temporarily unavailable",
        _ => "Request failed",
    };

    public static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);

    public static ProblemHttpResult Problem(int status, string detail) => Problem(status, TitleFor(status), detail);

    public static ProblemHttpResult BadRequest(string detail) => Problem(StatusCodes.Status400BadRequest, detail);

    public static ProblemHttpResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, detail);
}
