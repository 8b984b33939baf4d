using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using OrleansReleases.Grains.Chat;

namespace OrleansReleases.Silo.Hosting;

/// <summary>
/// The Mattermost bot, only when <c>Mattermost:Url</c> and <c>Mattermost:Token</c> are set; chat is
/// never required. Add it after the silo: its hosted services call grains as they start. Retries are the resilience library's: 429 is always retried after its
/// Retry-After (Mattermost did nothing), other failures only for requests safe to repeat.
/// </summary>
public static class ChatSetup
{
    public static void AddChatBot(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(MattermostOptions.Section);
        builder.Services.Configure<MattermostOptions>(section);
        builder.Services.AddSingleton<DashboardLinks>();
        var options = section.Get<MattermostOptions>() ?? new MattermostOptions();
        if (!options.Enabled)
        {
            return;
        }

        builder.Services.AddHttpClient<MattermostClient>(http =>
            {
                http.BaseAddress = new Uri(options.Url!.TrimEnd('/') + "/");
                http.DefaultRequestHeaders.Authorization = new("Bearer", options.Token);
                http.Timeout = TimeSpan.FromSeconds(60);
            })
            .AddResilienceHandler("mattermost", pipeline => pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = 6,
                Delay = TimeSpan.FromMilliseconds(500),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome)),
            }));

        builder.Services.AddSingleton<MattermostDirectory>();
        builder.Services.AddSingleton<ChatDelivery>();
        builder.Services.AddSingleton<ChatCommandHandler>();
        builder.Services.AddHostedService<MattermostListener>();
        builder.Services.AddHostedService<ChatBotSubscriber>();
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome)
    {
        if (outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests })
        {
            return true;
        }

        var method = outcome.Result?.RequestMessage?.Method;
        var repeatable = method == HttpMethod.Get || method == HttpMethod.Put;
        return repeatable && (outcome.Exception is HttpRequestException or TimeoutException
            || outcome.Result is { StatusCode: >= HttpStatusCode.InternalServerError });
    }
}
