using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace OrleansReleases.Grains.Sources.GitHub;

/// <summary>
/// Keeps this silo's share of <see cref="GitHubOptions.Parallelism"/> current: the membership
/// table's active silos divide it (<see cref="GitHubRequestGate.ShareWith"/>), so the requests under
/// way from the whole cluster stay within the setting, and so within GitHub's 100. Simpler than a
/// distributed semaphore (no grain call per request, nothing to lose when a silo dies). While a
/// silo joins, the others learn of it within the membership table's refresh (seconds); a silo
/// counts itself as soon as it starts, so the sum of the shares may exceed the setting only until
/// then — the default, 64, leaves that margin below 100.
/// </summary>
public sealed class GitHubClusterShare(IClusterMembershipService membership, GitHubRequestGate gate, ILogger<GitHubClusterShare> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                var active = snapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);
                var before = gate.Limit;
                gate.ShareWith(Math.Max(1, active));
                if (gate.Limit != before)
                {
                    logger.LogInformation("{Active} active silos share the GitHub request bound: this silo's share is now {Limit} at once", active, gate.Limit);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
