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
        var localGit = builder.Configuration.GetSection(LocalGitOptions.Section);
        if (options.Demo && string.IsNullOrWhiteSpace(localGit["Root"]))
        {
            var root = Path.Combine(options.DataFolder, "demo-repos");
            await DemoRepositories.EnsureCreatedAsync(root);
            localGit["Root"] = root;
        }

        builder.Services.Configure<LocalGitOptions>(localGit);
        if (!string.IsNullOrWhiteSpace(localGit["Root"]))
        {
            builder.Services.AddSingleton<IRepositorySource, LocalGitSource>();
        }

        var gitHub = GitHubOptions.Read(builder.Configuration.GetSection(GitHubOptions.Section));
        if (gitHub.IsConfigured)
        {
            builder.Services.AddGitHubSource(gitHub);
        }

        builder.Services.AddSingleton<RepositorySources>();
    }
}
