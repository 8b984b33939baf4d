namespace OrleansReleases.Tests.GitHub;

/// <summary><c>Releases:GitHub:Include</c> and <c>Exclude</c> narrow the organisation.</summary>
public sealed class GitHubSourceFilterTests
{
    [Theory]
    [InlineData("Include", "api-*,auth-?ervice", "Exclude", "*-legacy")]
    [InlineData("Include:0", "api-*", "Include:1", "auth-?ervice")]
    public async Task Only_repos_matching_an_include_pattern_and_no_exclude_pattern_are_compared(string key1, string value1, string key2, string value2)
    {
        var extra = key1 == "Include:0" ? new[] { ("Exclude:0", "*-legacy") } : [];
        await using var github = await GitHubSourceHarness.StartAsync([(key1, value1), (key2, value2), .. extra]);
        foreach (var name in new[] { "api-gateway", "API-Admin", "auth-service", "auth-services", "api-legacy", "billing" })
        {
            github.Fake.AddRepo(name).Branch("uat").Commit("uat", "Alice", "alice");
        }

        var result = await github.CompareAsync();

        Assert.Equal(["API-Admin", "api-gateway", "auth-service"], result.Changed.Select(c => c.Name));
    }
}
