using System.Net;
using OrleansReleases.Fakes;
using OrleansReleases.Tests.Support;
using static OrleansReleases.Tests.Chat.ChatScenario;
using static OrleansReleases.Tests.Support.ApiClient;

namespace OrleansReleases.Tests.Chat;

/// <summary>The chat channel follows a deploy: the summary shows progress, a failure and the end are posted once each, and "status" answers.</summary>
public sealed class DeployChatTests : IAsyncLifetime
{
    private ChatScenario _scenario = null!;

    private FakeMattermost Chat => _scenario.Chat;

    public async Task InitializeAsync() => _scenario = await ChatScenario.StartAsync();

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task A_failure_and_the_end_of_the_deploy_are_posted_once_and_status_tells_the_progress()
    {
        var id = await _scenario.CreateReleaseFromChatAsync();
        using var dana = await _scenario.Host.SignedInAsync("dana", DevLead);
        using var quinn = await _scenario.Host.SignedInAsync("quinn", Qa);
        using var ci = await _scenario.Host.SignedInAsync("ci", "release-deployer");
        await ExpectJsonAsync(await dana.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.OK);
        await ExpectJsonAsync(await quinn.PostAsync($"/api/releases/{id}/approve/qa"), HttpStatusCode.OK);
        var steps = (await ci.GetJsonAsync($"/api/releases/{id}/plan"))["layers"]!.AsArray().SelectMany(l => l!.AsArray())
            .Select(s => ((string)s!["repo"]!, (string)s["sha"]!)).ToList();
        Task<HttpResponseMessage> Report(string repo, string sha, string state) =>
            ci.PostAsync($"/api/releases/{id}/repos/{repo}/deployment", new { sha, state });

        var (first, firstSha) = steps[0];
        await ExpectJsonAsync(await Report(first, firstSha, "failure"), HttpStatusCode.OK);
        await Chat.WaitUntilAsync(c => CountPosts(c, "Deploy failed") == 1, "the failure post");
        Assert.Contains($"{first} failed to deploy", Chat.Posts(Channel).Single(p => p["message"]!.ToString().Contains("Deploy failed"))["message"]!.ToString());
        await Chat.WaitUntilAsync(c => CountPosts(c, "deploying: 0/2 repos deployed, 1 failed") >= 1, "the summary shows the progress");

        var command = await Chat.UserPostsAsync(Channel, "bob", $"@{FakeMattermost.BotName} status {id}");
        await Chat.WaitUntilAsync(c => ReplyTo(c, command)?["message"]?.ToString().Contains("**deploying**") == true, "the status answer");
        Assert.Contains("0/2 repos deployed, 1 failed", ReplyTo(Chat, command)!["message"]!.ToString());

        foreach (var (repo, sha) in steps)
        {
            await ExpectJsonAsync(await Report(repo, sha, "success"), HttpStatusCode.OK);
        }

        await Chat.WaitUntilAsync(c => CountPosts(c, "Release Deployed") == 1, "the end of the deploy");
        await Chat.WaitUntilAsync(_ => UndeliveredNotices(_scenario.DatabasePath) == 0, "the outbox is empty");
        Assert.Equal(1, CountPosts(Chat, "Deploy failed"));
    }
}
