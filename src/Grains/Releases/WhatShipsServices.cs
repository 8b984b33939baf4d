using Microsoft.Extensions.DependencyInjection;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Grains.Releases;

/// <summary>
/// Registers what shows what a release ships: commit lists (and their cache), comparison details
/// (checks, base commits, new commits since approval, carried-over dependencies) and the checks
/// refresher the webhook feeds. The sources register their <see cref="Sources.IRepositoryHistory"/>.
/// </summary>
public static class WhatShipsServices
{
    public static IServiceCollection AddWhatShips(this IServiceCollection services)
    {
        services.AddSingleton<RepoHistories>();
        services.AddSingleton<SqlCommitCache>();
        services.AddSingleton<ReleaseCommits>();
        services.AddSingleton<ComparisonDetails>();
        services.AddSingleton<ChecksRefresher>();
        services.AddHostedService(provider => provider.GetRequiredService<ChecksRefresher>());
        return services;
    }
}
