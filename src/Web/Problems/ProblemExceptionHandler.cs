using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using OrleansReleases.Grains.Domain;

namespace OrleansReleases.Web.Problems;

/// <summary>
/// Turns exceptions into problem answers: a broken release rule into its 4xx, a malformed request
/// into 400 (or 413), anything else into a bare 500 that shows no internals.
/// </summary>
public sealed class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, detail) = exception switch
        {
            ReleaseRuleException rule => (ReleaseProblems.StatusFor(rule.Violation), rule.Message),
            BadHttpRequestException bad => (bad.StatusCode, DescribeBadRequest(bad)),
            // A silo of the cluster just died and its releases are moving to the others: try again shortly.
            Orleans.Runtime.OrleansMessageRejectionException or Orleans.Runtime.SiloUnavailableException =>
                (StatusCodes.Status503ServiceUnavailable, "A node of the cluster is being replaced; try again in a few seconds."),
            _ => (StatusCodes.Status500InternalServerError, "The server failed to handle the request. It has been logged."),
        };

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "5";
            logger.LogWarning("{Method} {Path} met a cluster change: {Error}", context.Request.Method, context.Request.Path, exception.Message);
        }
        else if (status >= 500)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
        }

        context.Response.StatusCode = status;
        await ProblemWriter.WriteAsync(context, new ProblemDetails { Status = status, Title = ReleaseProblems.TitleFor(status), Detail = detail }, exception);
        return true;
    }

    /// <summary>Says what was wrong with the body, without echoing framework internals such as .NET type names.</summary>
    private static string DescribeBadRequest(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            var where = json.Path is { Length: > 0 } path ? $" at {path}" : "";
            var what = json.Message.Contains("could not be mapped", StringComparison.Ordinal) ? "this field is unknown"
                : json.Message.Contains("could not be converted", StringComparison.Ordinal) ? "this value has the wrong type"
                : json.Message.Contains("maximum configured depth", StringComparison.Ordinal) ? "the JSON is nested too deeply"
                : "this is not well-formed JSON";
            return $"The JSON body is invalid{where}: {what}.";
        }

        return bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is larger than 256 KiB." : bad.Message;
    }
}
