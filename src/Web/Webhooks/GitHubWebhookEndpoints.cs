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
/// <item>A missing or malformed <c>X-Hub-Signature-256</c>: 401 before the body is read; a wrong one: 401, and nothing else happens.</item>
/// <item>A body over <see cref="GitHubWebhookOptions.WebhookMaxBytes"/> (chunked or not): 413 once that much has arrived, never read further.</item>
/// <item>A push delivery already received (its <c>X-GitHub-Delivery</c> id or its body, within a day): 200, not acted on again.</item>
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
        services.Configure<GitHubWebhookOptions>(configuration.GetSection(GitHubWebhookOptions.Section));
        services.AddSingleton<WebhookDeliveryLog>();
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
        HttpContext context, GitHubOptions options, WebhookEventProcessor processor, WebhookDeliveryLog deliveries,
        Microsoft.Extensions.Options.IOptions<GitHubWebhookOptions> webhookOptions)
    {
        // The signature is checked as the body arrives: a request without a well-formed one is
        // refused before a byte is read, and no body is read past the limit.
        var signature = context.Request.Headers["X-Hub-Signature-256"].ToString();
        if (!SignedWebhookBody.IsWellFormed(signature))
        {
            return InvalidSignature();
        }

        var bytes = await SignedWebhookBody.ReadAsync(context, options.WebhookSecret!, webhookOptions.Value.WebhookMaxBytes, signature);
        if (bytes is null)
        {
            return InvalidSignature();
        }

        var eventName = context.Request.Headers["X-GitHub-Event"].ToString();
        switch (eventName)
        {
            case "":
                return ReleaseProblems.BadRequest("X-GitHub-Event is missing.");
            case "ping":
                return TypedResults.Ok(new PingAnswer("pong"));
            case "push" or "status" or "check_run" or "check_suite": // a push refreshes releases; the others update checks
                var delivery = context.Request.Headers["X-GitHub-Delivery"].ToString();
                if (delivery.Length is 0 or > 100)
                {
                    return ReleaseProblems.BadRequest("X-GitHub-Delivery is missing or too long.");
                }

                if (!await deliveries.TryRecordAsync(delivery, bytes, context.RequestAborted))
                {
                    return TypedResults.Ok(new PingAnswer("already received"));
                }

                try
                {
                    await processor.ProcessWebhookAsync(context.Request.Headers, (ReadOnlyMemory<byte>)bytes, context.RequestAborted);
                }
                catch (System.Text.Json.JsonException ex)
                {
                    await deliveries.ForgetAsync(delivery, bytes, CancellationToken.None);
                    return ReleaseProblems.BadRequest($"The {eventName} payload could not be read: {ex.Message}");
                }

                return TypedResults.Accepted((string?)null);
            default:
                return TypedResults.Accepted((string?)null);
        }
    }

    private static ProblemHttpResult InvalidSignature() =>
        ReleaseProblems.Problem(StatusCodes.Status401Unauthorized, "Invalid webhook signature",
            "X-Hub-Signature-256 is missing or does not match the body signed with the webhook secret (Releases:GitHub:WebhookSecret).");

    /// <summary>The answer to GitHub's <c>ping</c>, and to a delivery already received.</summary>
    public sealed record PingAnswer(string Message);
}
