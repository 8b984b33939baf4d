using Microsoft.Extensions.DependencyInjection;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Grains.Gate;

/// <summary>
/// Registers the gate: its index (which joins every publishing transaction) and the start-up fill.
/// Call after the silo is added and after <c>CatalogRepair</c> (the fill calls grains and reads the
/// repaired release index).
/// </summary>
public static class GateServices
{
    public static IServiceCollection AddReleaseGate(this IServiceCollection services)
    {
        services.AddSingleton<SqlGateIndex>();
        services.AddSingleton<IPublicationWriter>(provider => provider.GetRequiredService<SqlGateIndex>());
        services.AddSingleton<IPublicationWriter, SqlRepoNameIndex>();
        services.AddHostedService<GateIndexFill>();
        return services;
    }
}
