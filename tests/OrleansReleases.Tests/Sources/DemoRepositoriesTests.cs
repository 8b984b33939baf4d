using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansReleases.Grains.Sources;
using OrleansReleases.Tests.Support;

namespace OrleansReleases.Tests.Sources;

public sealed class DemoRepositoriesTests : IDisposable
{
    private static readonly string[] DemoNames =
        ["api-gateway", "auth-service", "billing-service", "config-svc", "notification-svc", "user-service"];

    private readonly TempFolder _temp = TempFolder.Create();

    /// <summary>Not created beforehand: the demo makes its own folder.</summary>
    private string Root => _temp.PathOf("demo");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Creates_bare_repositories_with_master_uat_and_dev_branches()
    {
        await DemoRepositories.EnsureCreatedAsync(Root);

        Assert.Equal(DemoNames, LocalGitSource.FindRepositories(Root).Select(r => r.Name));
        Assert.All(DemoNames, name =>
        {
            var repo = GitRepoBuilder.Open(Path.Combine(Root, name));
            Assert.True(repo.IsBare);
            Assert.Equal(["dev", "master", "uat"], repo.Branches());
        });
    }

    [Fact]
    public async Task Local_git_finds_the_changes_from_uat_to_master_and_billing_service_has_none()
    {
        await DemoRepositories.EnsureCreatedAsync(Root);

        var result = await Source().CompareAsync("uat", "master", null, CancellationToken.None);

        Assert.Empty(result.Warnings);
        var changes = result.Changed.ToDictionary(c => c.Name);
        Assert.Equal(["api-gateway", "auth-service", "config-svc", "notification-svc", "user-service"],
            result.Changed.Select(c => c.Name));

        Assert.Equal(3, changes["auth-service"].CommitCount);
        Assert.Equal(["Alice Moreau", "Bob Okafor"], changes["auth-service"].Contributors);
        Assert.Equal(2, changes["api-gateway"].CommitCount);
        Assert.Equal(["Carol Jensen"], changes["api-gateway"].Contributors);
        Assert.Equal(3, changes["user-service"].CommitCount);
        Assert.Equal(["Alice Moreau", "Bob Okafor", "Dave Tanaka"], changes["user-service"].Contributors);
        Assert.Equal(1, changes["notification-svc"].CommitCount);
        Assert.Equal(2, changes["config-svc"].CommitCount);
        Assert.All(result.Changed, change =>
            Assert.Equal(GitRepoBuilder.Open(Path.Combine(Root, change.Name)).HeadOf("uat"), change.HeadSha));
    }

    [Fact]
    public async Task Billing_service_has_changes_from_dev_to_uat()
    {
        await DemoRepositories.EnsureCreatedAsync(Root);

        var result = await Source().CompareAsync("dev", "uat", null, CancellationToken.None);

        var billing = Assert.Single(result.Changed, c => c.Name == "billing-service");
        Assert.Equal(2, billing.CommitCount);
        Assert.Equal(["Frank Silva"], billing.Contributors);
    }

    [Fact]
    public async Task Calling_it_twice_keeps_the_repositories_of_the_first_call()
    {
        await DemoRepositories.EnsureCreatedAsync(Root);
        var authService = GitRepoBuilder.Open(Path.Combine(Root, "auth-service"));
        authService.Branch("made-after-the-first-call");

        await DemoRepositories.EnsureCreatedAsync(Root);

        Assert.Equal(DemoNames, LocalGitSource.FindRepositories(Root).Select(r => r.Name));
        Assert.Contains("made-after-the-first-call", authService.Branches());
        var result = await Source().CompareAsync("uat", "master", null, CancellationToken.None);
        Assert.Equal(5, result.Changed.Count);
    }

    private LocalGitSource Source() =>
        new(Options.Create(new LocalGitOptions { Root = Root }), NullLogger<LocalGitSource>.Instance);
}
