using Microsoft.AspNetCore.Http;
using OrleansReleases.Web.Problems;

namespace OrleansReleases.Web.Auth;

/// <summary>
/// CSRF defence for cookie sessions: a changing request under <c>/api</c> must carry
/// <c>X-Requested-With: XMLHttpRequest</c>, which another site's form or image cannot send.
/// Requests with a bearer token carry no ambient credentials and are exempt.
/// </summary>
public sealed class RequireXmlHttpRequestFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var changes = HttpMethods.IsPost(request.Method) || HttpMethods.IsPatch(request.Method)
            || HttpMethods.IsDelete(request.Method) || HttpMethods.IsPut(request.Method);
        var bearer = request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
        if (changes && !bearer && request.Headers.XRequestedWith != "XMLHttpRequest")
        {
            return ReleaseProblems.Problem(StatusCodes.Status403Forbidden, "Missing X-Requested-With header",
                "Changes through a browser session must send the header 'X-Requested-With: XMLHttpRequest'.");
        }

        return await next(context);
    }
}
