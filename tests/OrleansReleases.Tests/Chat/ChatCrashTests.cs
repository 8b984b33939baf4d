using OrleansReleases.Fakes;
using System.Net;
using Microsoft.Data.Sqlite;
using OrleansReleases.Tests.Support;
using static OrleansReleases.Tests.Chat.ChatScenario;
using static OrleansReleases.Tests.Support.ApiClient;

namespace OrleansReleases.Tests.Chat;

/// <summary>"Ready to deploy" is posted exactly once even when the process dies between the approval and the post.</summary>
[Trait("Category", "Slow")]
public sealed class ChatCrashTests : IDisposable
{
    private readonly TempFolder _folder = TempFolder.Create();

    [Theory]
    [InlineData(false)] // the process dies before Mattermost made the post
    [InlineData(true)]  // Mattermost made the post, but the process died before hearing so
    public async Task The_ready_post_arrives_once_after_kill_9_between_the_approval_and_the_post(bool postMadeBeforeTheCrash)
    {
        var repos = TwoChangedRepos.Create(_folder);
        await using var chat = await FakeMattermost.StartAsync();
        var database = Path.Combine(_folder.Folder("data"), "releases.db");
        string[] settings =
        [
            $"Mattermost:Url={chat.Url}", $"Mattermost:Token={FakeMattermost.Token}", $"Mattermost:BotName={FakeMattermost.BotName}",
            repos.Source,
        ];

        using (var first = await ServiceProcess.StartAsync(database, settings))
        {
            await chat.WaitUntilAsync(c => c.Authentications >= 1, "the bot connects");
            var command = await chat.UserPostsAsync(Channel, "alice", "@pusheen create-release uat master");
            await chat.WaitUntilAsync(c => ReplyTo(c, command)?["message"]?.ToString().Contains("View Dashboard") == true, "the summary post");
            using var alice = first.Client();
            await alice.SignInAsync("alice");
            var id = (string)(await alice.GetJsonAsync("/api/releases"))["items"]![0]!["id"]!;
            using var dana = first.Client();
            await dana.SignInAsync("dana", DevLead);
            using var quinn = first.Client();
            await quinn.SignInAsync("quinn", Qa);
            await ExpectJsonAsync(await dana.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.OK);

            chat.HoldPosts(createFirst: postMadeBeforeTheCrash);
            await ExpectJsonAsync(await quinn.PostAsync($"/api/releases/{id}/approve/qa"), HttpStatusCode.OK);
            await chat.WaitUntilAsync(c => c.HeldPostRequests >= 1, "the bot sends the ready post");

            first.Kill();
        }

        chat.ReleasePosts();
        chat.HoldPosts(createFirst: false);
        chat.ReleasePosts(); // later posts go through at once
        using var second = await ServiceProcess.StartAsync(database, settings);

        await chat.WaitUntilAsync(c => CountPosts(c, "Release Ready to Deploy") >= 1, "the ready post after the restart");
        await chat.WaitUntilAsync(_ => UndeliveredNotices(database) == 0, "the outbox is empty");
        Assert.Equal(1, CountPosts(chat, "Release Ready to Deploy"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
