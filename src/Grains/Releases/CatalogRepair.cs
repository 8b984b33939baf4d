using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Grains.Releases;

/// <summary>
/// At start-up, finds releases whose stored state is ahead of the index (the process died between
/// the two writes) and has their grains publish again. Registered after the silo, so grains can run.
/// </summary>
public sealed class CatalogRepair(IReleaseCatalog catalog, IGrainFactory grains, ILogger<CatalogRepair> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var ids = await catalog.FindUnpublishedAsync(cancellationToken);
        foreach (var id in ids)
        {
            await grains.GetGrain<IReleaseGrain>(id).Republish();
        }

        if (ids.Count > 0)
        {
            logger.LogWarning("Repaired the index and history of {Count} releases after an unclean stop", ids.Count);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
