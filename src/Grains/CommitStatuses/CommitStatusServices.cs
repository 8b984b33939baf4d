using Microsoft.Extensions.DependencyInjection;
using OrleansReleases.Grains.Sources.GitHub;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Grains.CommitStatuses;

/// <summary>
/// Registers the commit statuses: the outbox (which also joins every publishing transaction), the
/// poster on the GitHub HTTP pipeline, the change subscriber and the sweep. Call after the silo is
/// added (the hosted services call grains) and after <see cref="GitHubServices.AddGitHubSource"/>.
/// </summary>
public static class CommitStatusServices
{
    public static IServiceCollection AddCommitStatuses(this IServiceCollection services, CommitStatusOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<SqlCommitStatusOutbox>();
        services.AddSingleton<ICommitStatusOutbox>(provider => provider.GetRequiredService<SqlCommitStatusOutbox>());
        services.AddSingleton<IPublicationWriter>(provider => provider.GetRequiredService<SqlCommitStatusOutbox>());
        services.AddSingleton<IGitHubStatusPoster, GitHubStatusPoster>();
        services.AddHostedService<CommitStatusPublisher>();
        services.AddHostedService<CommitStatusSweep>();
        return services;
    }
}
