using Microsoft.Extensions.DependencyInjection;

namespace OrleansReleases.Grains.Insights;

/// <summary>Registers the insights (DORA figures), the release evidence and the audit stream's reader.</summary>
public static class InsightsServices
{
    public static IServiceCollection AddInsights(this IServiceCollection services)
    {
        services.AddSingleton<SqlHistoryReader>();
        services.AddSingleton<InsightsService>();
        services.AddSingleton<ReleaseEvidence>();
        return services;
    }
}
