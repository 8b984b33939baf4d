using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using OrleansReleases.Web.Endpoints;
using OrleansReleases.Web.Problems;
using Scalar.AspNetCore;

namespace OrleansReleases.Web.Hosting;

/// <summary>
/// The OpenAPI document of <c>/api</c> at <c>/openapi/v1.json</c> (for anyone, in every
/// environment; docs/openapi.json is its checked-in copy, which the dashboard's types are generated
/// from), and the readable reference made from it at <c>/api/docs</c> (Scalar, for signed-in users).
/// </summary>
public static class OpenApiSetup
{
    public const string DocumentName = "v1";

    public const string DocumentPath = "/openapi/v1.json";

    public const string ReferencePath = "/api/docs";

    public static IServiceCollection AddReleasesOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "OrleansReleases API",
                    Version = DocumentName,
                    Description = "Release gating: compare branches across repositories, order the deploy, and require a Dev lead's and a QA engineer's sign-off. "
                        + "The contract in prose is docs/api.md. Every error is an RFC 9457 problem (application/problem+json). "
                        + "Sign in with the session cookie (cookie-authenticated changes must send X-Requested-With: XMLHttpRequest) or a bearer access token.",
                };
                // The document is the same wherever it is served from, so its checked-in copy can be compared.
                document.Servers = [];
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                var type = context.JsonTypeInfo.Type;
                if (type.IsEnum)
                {
                    schema.Type = JsonSchemaType.String; // written as camelCase words (see WebSetup.ConfigureJson)
                }
                else if (IsRequestBody(type))
                {
                    // Every field of a request body may be left out ("an absent field stays as it is").
                    schema.Required?.Clear();
                }

                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, _, _) =>
            {
                if (operation.Responses is not { Count: > 0 } responses)
                {
                    return Task.CompletedTask;
                }

                // Statuses in order, and each problem says what it means here.
                var ordered = new OpenApiResponses();
                foreach (var (status, response) in responses.OrderBy(r => r.Key, StringComparer.Ordinal))
                {
                    if (response is OpenApiResponse concrete && int.TryParse(status, out var code)
                        && concrete.Content?.ContainsKey(ProblemResponses.ContentType) == true)
                    {
                        concrete.Description = ProblemResponses.DescriptionFor(code);
                    }

                    ordered[status] = response;
                }

                operation.Responses = ordered;
                return Task.CompletedTask;
            });
        });

    /// <summary>The bodies clients send (the <c>*Request</c> records of the endpoints).</summary>
    private static bool IsRequestBody(Type type) =>
        type.Namespace == typeof(CreateReleaseRequest).Namespace && type.Name.EndsWith("Request", StringComparison.Ordinal);

    public static WebApplication MapReleasesOpenApi(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath);
        // Inside a group, so sign-in guards the page and the script files Scalar maps beside it alike:
        // Scalar marks its scripts AllowAnonymous, and nothing under /api is for anonymous callers.
        var reference = app.MapGroup(string.Empty).RequireAuthorization();
        ((IEndpointConventionBuilder)reference).Finally(endpoint =>
        {
            foreach (var anonymous in endpoint.Metadata.OfType<IAllowAnonymous>().ToList())
            {
                endpoint.Metadata.Remove(anonymous);
            }
        });
        reference.MapScalarApiReference(ReferencePath, options => options
                .WithTitle("OrleansReleases API")
                .WithOpenApiRoutePattern(DocumentPath));
        return app;
    }
}
