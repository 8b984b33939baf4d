using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansReleases.Grains.Releases;

namespace OrleansReleases.Grains.Gate;

/// <summary>
/// At start-up, has every release the gate index has never seen (stored before the gate existed)
/// publish again, which writes its gate rows; releases published since are already there. Registered
/// after <see cref="CatalogRepair"/>, so the release index it reads is complete.
/// </summary>
public sealed class GateIndexFill(SqlGateIndex gate, IGrainFactory grains, ILogger<GateIndexFill> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var ids = await gate.FindMissingAsync(cancellationToken);
        foreach (var id in ids)
        {
            await grains.GetGrain<IReleaseGrain>(id).Republish();
        }

        if (ids.Count > 0)
        {
            logger.LogInformation("Filled the gate index with {Count} releases stored before it existed", ids.Count);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
