using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace OrleansReleases.Grains.Sources.GitHub;

/// <summary>
/// Registers the GitHub source and the HTTP pipeline every request to GitHub goes through,
/// outermost first: throttling (concurrency bound, rate-limit pacing), the standard resilience
/// handler (retries with back-off that honour <c>Retry-After</c>, time-outs, circuit breaker),
/// then the rate-limit reader, which sees every attempt's answer.
/// </summary>
public static class GitHubServices
{
    public static IServiceCollection AddGitHubSource(this IServiceCollection services, GitHubOptions options)
    {
        services.TryAddSingleton(options);
        services.AddSingleton<GitHubRateLimit>();
        services.AddSingleton<GitHubRequestGate>();
        services.AddSingleton<GitHubResponseCache>();
        services.AddOptions<GitHubCacheOptions>().Configure<IServiceProvider>((bounds, provider) =>
            provider.GetService<IConfiguration>()?.GetSection(GitHubCacheOptions.Section).Bind(bounds));
        services.AddSingleton<GitHubConnectionFactory>();
        services.AddSingleton<GitHubBatchComparer>();
        services.AddSingleton<GitHubSource>();
        services.AddSingleton<IRepositorySource>(provider => provider.GetRequiredService<GitHubSource>());
        services.AddTransient<GitHubThrottlingHandler>();
        services.AddTransient<GitHubRateLimitObserver>();

        var client = services.AddHttpClient(GitHubConnectionFactory.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AutomaticDecompression = System.Net.DecompressionMethods.All,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .AddHttpMessageHandler<GitHubThrottlingHandler>();
        client.AddStandardResilienceHandler(resilience =>
            {
                resilience.Retry.MaxRetryAttempts = Math.Max(0, options.Retries);
                resilience.Retry.Delay = options.RetryDelay;
                resilience.Retry.BackoffType = DelayBackoffType.Exponential;
                resilience.Retry.UseJitter = true;
                resilience.Retry.ShouldRetryAfterHeader = true;
                resilience.Retry.ShouldHandle = args => ValueTask.FromResult(
                    HttpClientResiliencePredicates.IsTransient(args.Outcome)
                    || (args.Outcome.Result is { } response && GitHubRateLimit.IsRateLimited(response) && response.Headers.RetryAfter is not null));

                // Large comparisons can take GitHub a while; the total covers every retry and its wait.
                resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(30);
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(3);
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(60);
            });
        client.AddHttpMessageHandler<GitHubRateLimitObserver>()
            // Request headers carry the token: never log them, whatever the log level.
            .RedactLoggedHeaders(_ => true);

        return services;
    }
}
