using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Grains.Releases;

/// <summary>
/// With <c>--demo</c>, the first start creates one release <c>uat → master</c> over the demo
/// repositories, with notes and one dependency, so a new user sees the list and a release page at
/// once. It is made only while no release exists, so later starts (and releases the user made or
/// deployed) leave things as they are. Registered after <see cref="CatalogRepair"/>, so a release
/// whose index row a crash lost counts as existing.
/// </summary>
public sealed class DemoRelease(IReleaseCatalog catalog, ReleaseService releases, IGrainFactory grains, ILogger<DemoRelease> logger)
    : IHostedService
{
    public const string SourceBranch = "uat";
    public const string DestBranch = "master";
    public const string Dependent = "user-service";
    public const string Dependency = "auth-service";

    public const string Notes =
        "Sample release made by --demo. Token refresh ships in auth-service; user-service starts using it, " +
        "so it deploys after auth-service. Approve it as Dev lead and QA to see it become ready.";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var existing = await catalog.ListAsync(new ReleaseQuery(Limit: 1), cancellationToken);
        if (existing.Items.Count > 0)
        {
            return;
        }

        try
        {
            var release = await releases.CreateAsync(new NewRelease(SourceBranch, DestBranch, Notes), Actor.System,
                cancellationToken: cancellationToken);
            var names = release.Repos.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
            if (names.Contains(Dependent) && names.Contains(Dependency))
            {
                await grains.GetGrain<IReleaseGrain>(release.Id)
                    .UpdateRepo(Actor.System, Dependent, excluded: null, dependsOn: [Dependency], expectedVersion: null);
            }

            logger.LogInformation("Created the demo release {Id} ({Source} → {Dest})", release.Id, SourceBranch, DestBranch);
        }
        catch (ReleaseRuleException e)
        {
            // Demo data on repositories that are not the demo's (Releases:Sources:LocalGit:Root set): no sample release.
            logger.LogWarning("No demo release: {Reason}", e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
