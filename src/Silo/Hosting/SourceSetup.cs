using OrleansReleases.Grains;
using OrleansReleases.Grains.Sources;
using OrleansReleases.Grains.Sources.GitHub;

namespace OrleansReleases.Silo.Hosting;

/// <summary>
/// Which repository sources the service compares: local git (or the demo repos made for it), and a
/// GitHub organisation when <c>Releases:GitHub:Organization</c> is set. Both may be on at once.
/// </summary>
public static class SourceSetup
{
    public static async Task AddRepositorySourcesAsync(this WebApplicationBuilder builder, ReleasesOptions options)
    {
        var localGitSection = builder.Configuration.GetSection(LocalGitOptions.Section);
        var localGit = localGitSection.Get<LocalGitOptions>() ?? new LocalGitOptions();
        if (options.Demo && string.IsNullOrWhiteSpace(localGit.Root))
        {
            localGit.Root = Path.Combine(options.DataFolder, "demo-repos");
            await DemoRepositories.EnsureCreatedAsync(localGit.Root);
        }

        // The settings as bound, with the demo repositories' folder when --demo chose it.
        builder.Services.AddOptions<LocalGitOptions>().Bind(localGitSection).Configure(bound => bound.Root = localGit.Root);
        if (!string.IsNullOrWhiteSpace(localGit.Root))
        {
            builder.Services.AddSingleton<IRepositorySource, LocalGitSource>();
            builder.Services.AddSingleton<IRepositoryHistory, LocalGitHistory>();
        }

        var gitHub = GitHubOptions.Read(builder.Configuration.GetSection(GitHubOptions.Section));
        if (gitHub.IsConfigured)
        {
            // The bound holds for the whole cluster (GitHubClusterShare); above GitHub's own limit it would bind nothing.
            if (gitHub.Parallelism is < 1 or > GitHubOptions.GitHubConcurrencyLimit)
            {
                throw new InvalidOperationException($"{ReleasesApplication.StartRefusal}: Releases:GitHub:Parallelism must be between 1 and "
                    + $"{GitHubOptions.GitHubConcurrencyLimit} (GitHub refuses more concurrent requests per token), not {gitHub.Parallelism}.");
            }

            builder.Services.AddGitHubSource(gitHub);
            builder.Services.AddSingleton<GitHubCommitReader>();
            builder.Services.AddSingleton<IRepositoryHistory>(provider => provider.GetRequiredService<GitHubCommitReader>());
        }

        builder.Services.AddSingleton<RepositorySources>();
    }
}
