using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansReleases.Web.Problems;

/// <summary>
/// Writes a problem answer (<c>application/problem+json</c>) whatever the request's <c>Accept</c>
/// header says: a browser that asks for <c>text/html</c> still gets the one error format of the
/// service, never ASP.NET Core's plain-text fallback.
/// </summary>
public static class ProblemWriter
{
    public static async Task WriteAsync(HttpContext context, ProblemDetails problem, Exception? exception = null)
    {
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception }))
        {
            return;
        }

        // The problem writer declined (Accept names no JSON type): write the problem as JSON all the same.
        await TypedResults.Problem(problem).ExecuteAsync(context);
    }
}
