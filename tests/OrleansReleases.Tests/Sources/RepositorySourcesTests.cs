using Microsoft.Extensions.Logging.Abstractions;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Sources;

namespace OrleansReleases.Tests.Sources;

/// <summary>Several sources compared as one: names stay unique, warnings are kept.</summary>
public sealed class RepositorySourcesTests
{
    private sealed class StubSource(string name, string prefix, SourceComparison result) : IRepositorySource
    {
        public string Name => name;

        public string NamePrefix => prefix;

        public Task<SourceComparison> CompareAsync(string sourceBranch, string destBranch, IProgress<CompareProgress>? progress,
            CancellationToken cancellationToken) => Task.FromResult(result);
    }

    private static RepoChange Change(string name) => new(name, 1, ["alice"], new string('a', 40));

    [Fact]
    public async Task A_name_two_sources_have_is_prefixed_by_source_even_when_only_one_of_them_changed()
    {
        var local = new StubSource("local git", "local", new SourceComparison([Change("auth-service"), Change("tool")], [], ["auth-service", "tool"]));
        var github = new StubSource("github", "github", new SourceComparison([Change("api-gateway")], ["broken: GitHub answered 502"],
            ["api-gateway", "auth-service", "broken"]));

        var result = await new RepositorySources([local, github], NullLogger<RepositorySources>.Instance)
            .CompareAsync("uat", "master", null, CancellationToken.None);

        Assert.Equal(["api-gateway", "local/auth-service", "tool"], result.Changed.Select(c => c.Name));
        Assert.Equal(["broken: GitHub answered 502"], result.Warnings);
    }

    [Fact]
    public async Task Repos_that_could_not_be_compared_are_named_as_the_release_names_them()
    {
        var local = new StubSource("local git", "local", new SourceComparison([Change("tool")], ["auth-service: git log failed"],
            ["auth-service", "tool"], ["auth-service"]));
        var github = new StubSource("github", "github", new SourceComparison([], ["auth-service: 502", "billing: 502"],
            ["auth-service", "billing"], ["auth-service", "billing"]));

        var result = await new RepositorySources([local, github], NullLogger<RepositorySources>.Instance)
            .CompareAsync("uat", "master", null, CancellationToken.None);

        Assert.Equal(["billing", "github/auth-service", "local/auth-service"], result.Failed);
    }
}
