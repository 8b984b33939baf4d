using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Octokit.Webhooks;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Grains.Sources.GitHub;
using OrleansReleases.Web.Problems;

namespace OrleansReleases.Web.Webhooks;

/// <summary>
/// <c>POST /webhooks/github</c>: GitHub's webhook deliveries, outside <c>/api</c> (no session, no
/// CSRF header: GitHub proves itself with the HMAC signature instead). On only when
/// <c>Releases:GitHub:WebhookSecret</c> is set; otherwise the path is a 404.
/// <list type="bullet">
/// <item>A missing or wrong <c>X-Hub-Signature-256</c>: 401, and nothing else happens.</item>
/// <item><c>ping</c> (sent when the hook is made): 200.</item>
/// <item><c>push</c>: 202 at once; the releases of the branch are refreshed in the background.</item>
/// <item>Any other event: 202, ignored.</item>
/// </list>
/// </summary>
public static class GitHubWebhookEndpoints
{
    public const string Path = "/webhooks/github";

    public static IServiceCollection AddGitHubWebhook(this IServiceCollection services, IConfiguration configuration)
    {
        var options = GitHubOptions.Read(configuration.GetSection(GitHubOptions.Section));
        if (!options.WebhookEnabled)
        {
            return services;
        }

        services.TryAddSingleton(options);
        services.AddSingleton<BranchPushRefresher>();
        services.AddHostedService(provider => provider.GetRequiredService<BranchPushRefresher>());
        services.AddSingleton<WebhookEventProcessor, ReleasesWebhookProcessor>();
        return services;
    }

    public static WebApplication MapGitHubWebhook(this WebApplication app)
    {
        if (app.Services.GetService<GitHubOptions>() is { WebhookEnabled: true })
        {
            app.MapPost(Path, ReceiveAsync).ExcludeFromDescription();
        }

        return app;
    }

    private static async Task<Results<Ok<PingAnswer>, Accepted, ProblemHttpResult>> ReceiveAsync(
        HttpContext context, GitHubOptions options, WebhookEventProcessor processor)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var bytes = body.ToArray();

        // Checked against the raw bytes, before anything in the body is believed.
        var signature = context.Request.Headers["X-Hub-Signature-256"].ToString();
        if (WebhookSignatureValidator.Verify(signature, options.WebhookSecret, (ReadOnlySpan<byte>)bytes) != WebhookSignatureValidationResult.Valid)
        {
            return ReleaseProblems.Problem(StatusCodes.Status401Unauthorized, "Invalid webhook signature",
                "X-Hub-Signature-256 is missing or does not match the body signed with the webhook secret (Releases:GitHub:WebhookSecret).");
        }

        var eventName = context.Request.Headers["X-GitHub-Event"].ToString();
        switch (eventName)
        {
            case "":
                return ReleaseProblems.BadRequest("X-GitHub-Event is missing.");
            case "ping":
                return TypedResults.Ok(new PingAnswer("pong"));
            case "push" or "status" or "check_run" or "check_suite": // a push refreshes releases; the others update checks
                try
                {
                    await processor.ProcessWebhookAsync(context.Request.Headers, (ReadOnlyMemory<byte>)bytes, context.RequestAborted);
                }
                catch (System.Text.Json.JsonException ex)
                {
                    return ReleaseProblems.BadRequest($"The {eventName} payload could not be read: {ex.Message}");
                }

                return TypedResults.Accepted((string?)null);
            default:
                return TypedResults.Accepted((string?)null);
        }
    }

    /// <summary>The answer to GitHub's <c>ping</c>.</summary>
    public sealed record PingAnswer(string Message);
}
