using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace OrleansReleases.Web.Problems;

/// <summary>
/// Declares the problem answers an endpoint can give, so <c>/openapi/v1.json</c> lists each status
/// with its <c>application/problem+json</c> shape and what it means here:
/// <c>.ProducesReleaseProblems(400, 404, 409, 412)</c>.
/// </summary>
public static class ProblemResponses
{
    public const string ContentType = "application/problem+json";

    public static TBuilder ProducesReleaseProblems<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), [ContentType])
            {
                Description = DescriptionFor(status),
            });
        }

        return builder;
    }

    /// <summary>What each status means in this API (the Conventions of docs/api.md).</summary>
    public static string DescriptionFor(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "Invalid request: a malformed parameter, header or JSON body (wrong types, unknown fields).",
        StatusCodes.Status401Unauthorized => "Sign-in required: no session cookie and no valid bearer token.",
        StatusCodes.Status403Forbidden => "Not allowed: the approval's role is missing, or a cookie-authenticated change lacks X-Requested-With: XMLHttpRequest.",
        StatusCodes.Status404NotFound => "No such release, repo or approval kind.",
        StatusCodes.Status409Conflict => "A rule of the release workflow forbids it (deployed releases are frozen, approvals and deploy need their conditions).",
        StatusCodes.Status412PreconditionFailed => "If-Match names a version the release has moved on from; read it again.",
        StatusCodes.Status413PayloadTooLarge => "The request body is larger than 256 KiB.",
        StatusCodes.Status415UnsupportedMediaType => "The body is not application/json.",
        StatusCodes.Status422UnprocessableEntity => "No repo has commits on the source branch that the destination lacks.",
        StatusCodes.Status503ServiceUnavailable => "A node of the cluster is being replaced; try again after Retry-After.",
        _ => ReleaseProblems.TitleFor(status),
    };
}
