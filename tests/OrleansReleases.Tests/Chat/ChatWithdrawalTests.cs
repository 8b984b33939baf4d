using OrleansReleases.Fakes;
using System.Net;
using OrleansReleases.Tests.Support;
using static OrleansReleases.Tests.Chat.ChatScenario;
using static OrleansReleases.Tests.Support.ApiClient;

namespace OrleansReleases.Tests.Chat;

/// <summary>The release's channel hears when someone withdraws another person's approval (through the outbox).</summary>
public sealed class ChatWithdrawalTests : IAsyncLifetime
{
    private ChatScenario _scenario = null!;

    private FakeMattermost Chat => _scenario.Chat;

    public async Task InitializeAsync() => _scenario = await ChatScenario.StartAsync();

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task Withdrawing_another_persons_approval_is_posted_with_both_names()
    {
        var id = await _scenario.CreateReleaseFromChatAsync();
        using var dana = await _scenario.Host.SignedInAsync("dana", DevLead);
        using var erin = await _scenario.Host.SignedInAsync("erin", DevLead);
        await ExpectJsonAsync(await dana.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.OK);

        await ExpectJsonAsync(await erin.DeleteAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.OK);

        var history = (await erin.GetJsonAsync($"/api/releases/{id}/history")).AsArray();
        Assert.Equal("Dev approval of dana withdrawn by erin", (string?)history[^1]!["detail"]);
        Assert.Equal("erin", (string?)history[^1]!["actor"]);
        await Chat.WaitUntilAsync(c => CountPosts(c, "Dev approval of dana withdrawn by erin") == 1, "the withdrawal post");
        await Chat.WaitUntilAsync(_ => UndeliveredNotices(_scenario.DatabasePath) == 0, "the outbox is empty");
        Assert.Contains("Approval withdrawn", Assert.Single(Chat.Posts(Channel), p => p["message"]!.ToString().Contains("withdrawn by erin"))["message"]!.ToString());
    }
}
