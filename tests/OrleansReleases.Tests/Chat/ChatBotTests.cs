using OrleansReleases.Fakes;
using System.Net;
using OrleansReleases.Tests.Support;
using static OrleansReleases.Tests.Chat.ChatScenario;
using static OrleansReleases.Tests.Support.ApiClient;

namespace OrleansReleases.Tests.Chat;

/// <summary>The Mattermost bot against a fake Mattermost that speaks the real protocol.</summary>
public sealed class ChatBotTests : IAsyncLifetime
{
    private ChatScenario _scenario = null!;

    private FakeMattermost Chat => _scenario.Chat;

    public async Task InitializeAsync() => _scenario = await ChatScenario.StartAsync();

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task Create_release_in_chat_creates_it_and_answers_with_the_summary_and_dashboard_link()
    {
        var id = await _scenario.CreateReleaseFromChatAsync();

        var summary = Chat.Posts(Channel).Single(p => p["message"]!.ToString().Contains("## Release:"));
        var text = summary["message"]!.ToString();
        Assert.Contains("## Release: `uat` → `master`", text);
        Assert.Contains("**Repositories:** 2 | **Commits:** 2", text);
        Assert.Contains($"[View Dashboard](https://releases.example.test/releases/{id})", text);

        using var reader = await _scenario.Host.SignedInAsync("reader");
        var release = await reader.GetJsonAsync($"/api/releases/{id}");
        Assert.Equal("alice", (string?)release["createdBy"]);
    }

    [Theory]
    [InlineData("@pusheen help", "What I can do")]
    [InlineData("@pusheen", "What I can do")]
    [InlineData("@pusheen deploy-everything now", "I don't know `deploy-everything now`")]
    [InlineData("@pusheen create-release uat", "needs two branch names")]
    [InlineData("@pusheen create-release --output=x master", "sourceBranch must not start with '-'")]
    [InlineData("@pusheen create-release master uat", "No repo has commits")]
    public async Task Every_message_to_the_bot_gets_one_clear_answer_in_its_thread(string message, string expected)
    {
        var command = await Chat.UserPostsAsync(Channel, "bob", message);

        await Chat.WaitUntilAsync(c => ReplyTo(c, command)?["message"]?.ToString().Contains(expected, StringComparison.OrdinalIgnoreCase) == true,
            $"a reply containing '{expected}'");
        Assert.Single(Chat.Posts(), p => (string?)p["root_id"] == command);
    }

    [Fact]
    public async Task Releases_lists_the_open_releases_with_links()
    {
        var id = await _scenario.CreateReleaseFromChatAsync();

        var command = await Chat.UserPostsAsync(Channel, "bob", "@pusheen releases");

        await Chat.WaitUntilAsync(c => ReplyTo(c, command)?["message"]?.ToString().Contains($"/releases/{id}") == true, "the list");
    }

    [Fact]
    public async Task Two_approvals_at_the_same_instant_give_one_ready_post_and_the_summary_follows()
    {
        var id = await _scenario.CreateReleaseFromChatAsync();
        using var dana = await _scenario.Host.SignedInAsync("dana", DevLead);
        using var quinn = await _scenario.Host.SignedInAsync("quinn", Qa);

        var approvals = await Task.WhenAll(dana.PostAsync($"/api/releases/{id}/approve/dev"), quinn.PostAsync($"/api/releases/{id}/approve/qa"));
        Assert.All(approvals, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        await Chat.WaitUntilAsync(c => CountPosts(c, "Release Ready to Deploy") >= 1, "the ready post");
        await Chat.WaitUntilAsync(c => CountPosts(c, "Dev ☑ @dana · QA ☑ @quinn") == 1, "the summary post shows both approvals");
        await Chat.WaitUntilAsync(_ => UndeliveredNotices(_scenario.DatabasePath) == 0, "the outbox is empty");

        var ready = Assert.Single(Chat.Posts(Channel), p => p["message"]!.ToString().Contains("Release Ready to Deploy"));
        Assert.Contains("Approved by: @dana (Dev), @quinn (QA)", ready["message"]!.ToString());
        Assert.Contains("`uat` → `master` | 2 repositories", ready["message"]!.ToString());
    }

    [Fact]
    public async Task New_commits_that_dismiss_the_approvals_get_a_short_post()
    {
        var id = await _scenario.CreateReleaseFromChatAsync();
        using var dana = await _scenario.Host.SignedInAsync("dana", DevLead);
        await dana.PostAsync($"/api/releases/{id}/approve/dev");
        GitRepoBuilder.Open(Path.Combine(_scenario.Repos, "auth-service")).Commit("Mallory", "Untested change");

        await ExpectJsonAsync(await dana.PostAsync($"/api/releases/{id}/refresh"), HttpStatusCode.OK);

        await Chat.WaitUntilAsync(c => CountPosts(c, "Approvals dismissed") == 1, "the dismissal post");
        Assert.Contains("auth-service", Chat.Posts(Channel).Single(p => p["message"]!.ToString().Contains("Approvals dismissed"))["message"]!.ToString());
    }

    [Fact]
    public async Task A_release_created_on_the_dashboard_is_announced_in_the_default_channel()
    {
        using var alice = await _scenario.Host.SignedInAsync("alice");

        var id = (string)(await alice.CreateReleaseAsync())["id"]!;

        await Chat.WaitUntilAsync(c => c.Posts(DefaultChannel).Any(p => p["message"]!.ToString().Contains($"/releases/{id}")), "the summary in the default channel");
        Assert.Single(Chat.Posts(DefaultChannel));
    }

    [Fact]
    public async Task After_the_socket_drops_the_bot_reconnects_and_answers_the_next_command()
    {
        var before = Chat.Authentications;

        Chat.DropSockets();
        await Chat.WaitUntilAsync(c => c.Authentications > before, "the bot reconnects");
        var command = await Chat.UserPostsAsync(Channel, "bob", "@pusheen help");

        await Chat.WaitUntilAsync(c => ReplyTo(c, command) is not null, "an answer after the reconnect");
    }

    [Fact]
    public async Task Too_many_requests_with_Retry_After_are_waited_out_not_lost()
    {
        Chat.AnswerTooManyRequests(2);

        var command = await Chat.UserPostsAsync(Channel, "bob", "@pusheen help");

        await Chat.WaitUntilAsync(c => ReplyTo(c, command) is not null, "the answer, after the 429s");
        Assert.Equal(2, Chat.TooManyRequestsServed);
        Assert.Single(Chat.Posts(), p => (string?)p["root_id"] == command);
    }
}
