using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Dashboard;
using OrleansReleases.Grains.Storage;
using OrleansReleases.Web.Auth;

namespace OrleansReleases.Silo.Hosting;

/// <summary>
/// What operators use: <c>/healthz</c> (the process answers), <c>/readyz</c> (the silo is active
/// and the storage answers), and the Orleans dashboard at <c>/ops/orleans</c> for the admin role.
/// </summary>
public static class OperationsSetup
{
    public const string DashboardPath = "/ops/orleans";

    private const string ReadyTag = "ready";

    public static void AddOperations(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<SiloActiveCheck>("silo", tags: [ReadyTag])
            .AddCheck<StorageReachableCheck>("storage", tags: [ReadyTag]);
    }

    public static ISiloBuilder AddOperations(this ISiloBuilder silo) => silo.AddDashboard();

    public static void MapOperations(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).ExcludeFromDescription();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) }).ExcludeFromDescription();
        app.MapOrleansDashboard(DashboardPath).RequireAuthorization(AuthenticationSetup.AdminPolicy).ExcludeFromDescription();
    }

    /// <summary>Ready once this silo is an active member of its cluster.</summary>
    private sealed class SiloActiveCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
            return Task.FromResult(status == SiloStatus.Active
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"The silo is {status}."));
        }
    }

    /// <summary>Ready while the database answers a query.</summary>
    private sealed class StorageReachableCheck(IReleaseDatabase database) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var connection = database.Open();
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT count(*) FROM release_index;";
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex)
            {
                return HealthCheckResult.Unhealthy("The database does not answer.", ex);
            }
        }
    }
}
