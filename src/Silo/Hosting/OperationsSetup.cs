using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Dashboard;
using OrleansReleases.Grains.Chat;
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
            .AddCheck<StorageReachableCheck>("storage", tags: [ReadyTag])
            .AddCheck<ChatOutboxCheck>("chat", tags: [ReadyTag]);
    }

    public static ISiloBuilder AddOperations(this ISiloBuilder silo) => silo.AddDashboard();

    public static void MapOperations(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).ExcludeFromDescription();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteReadinessAsync })
            .ExcludeFromDescription();
        app.MapOrleansDashboard(DashboardPath).RequireAuthorization(AuthenticationSetup.AdminPolicy).ExcludeFromDescription();
    }

    /// <summary>
    /// "Healthy", or the status followed by one line per check that is not healthy ("chat: chat
    /// outbox: 2 notices failed"), so an operator sees why.
    /// </summary>
    private static Task WriteReadinessAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var text = report.Status.ToString();
        foreach (var (name, entry) in report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy))
        {
            text += $"\n{name}: {entry.Status}: {entry.Description}";
        }

        return context.Response.WriteAsync(text);
    }

    /// <summary>Degraded while chat notices were given up (see ChatDelivery): they need an operator's look.</summary>
    private sealed class ChatOutboxCheck(IChatOutbox outbox) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var failed = await outbox.FailedCountAsync(cancellationToken);
                return failed == 0
                    ? HealthCheckResult.Healthy()
                    : HealthCheckResult.Degraded($"chat outbox: {failed} notices failed", data: new Dictionary<string, object> { ["failedNotices"] = failed });
            }
            catch (Exception ex)
            {
                return HealthCheckResult.Degraded("chat outbox: cannot be read", ex);
            }
        }
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
