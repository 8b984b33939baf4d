using System.Net;
using OrleansReleases.Fakes;
using OrleansReleases.Tests.GitHub;
using OrleansReleases.Tests.Support;
using static OrleansReleases.Tests.Chat.ChatScenario;
using static OrleansReleases.Tests.Support.ApiClient;

namespace OrleansReleases.Tests.Chat;

/// <summary>
/// The bot against the parts of Mattermost's protocol that are easy to get wrong: resuming the
/// WebSocket, mentions as the server counts them, who posted, Markdown in posts, the post edit
/// time limit and a wrong token. Every wait is on a signal from the fake, with a deadline.
/// </summary>
public sealed class ChatProtocolTests : IAsyncLifetime
{
    private ChatScenario _scenario = null!;

    private FakeMattermost Chat => _scenario.Chat;

    public async Task InitializeAsync() => _scenario = await ChatScenario.StartAsync();

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    [Theory]
    [InlineData(false)] // the server still holds the connection: it replays the missed events
    [InlineData(true)]  // the server forgot it (restart): a new hello, and the bot reads the channels
    public async Task A_command_posted_while_the_socket_was_down_is_answered_once_after_the_reconnect(bool serverForgets)
    {
        // "Connected" in the fake means the hello was sent, not that the bot has read it: dropped
        // before that, the bot cannot resume (it never learnt the connection id). An answer proves
        // it listens on this connection (the drop before the hello has its own test, below).
        var first = await Chat.UserPostsAsync(Channel, "bob", "@pusheen help");
        await Chat.WaitUntilAsync(c => ReplyTo(c, first) is not null, "the bot listens");
        var resumes = Chat.Resumes;
        Chat.HoldSockets();
        Chat.DropSockets();
        await Chat.WaitUntilAsync(c => c.HeldSockets >= 1, "the bot tries to reconnect");
        if (serverForgets)
        {
            Chat.ForgetConnections();
        }

        var command = await Chat.UserPostsAsync(Channel, "bob", "@pusheen help");
        Chat.ReleaseSockets();

        await Chat.WaitUntilAsync(c => ReplyTo(c, command) is not null, "the answer to the missed command");
        var later = await Chat.UserPostsAsync(Channel, "bob", "@pusheen releases");
        await Chat.WaitUntilAsync(c => ReplyTo(c, later) is not null, "the answer to a later command");
        Assert.Single(Chat.Posts(), p => (string?)p["root_id"] == command);
        Assert.Equal(serverForgets ? resumes : resumes + 1, Chat.Resumes);
    }

    [Theory]
    [InlineData("(@pusheen) help", true)]
    [InlineData("@pusheen!", true)]
    [InlineData("**@pusheen** help", true)]
    [InlineData("cc:@pusheen help", true)]
    [InlineData("(@pusheen) help", false)] // without data.mentions the bot applies the server's rules itself
    [InlineData("@pusheen!", false)]
    [InlineData("**@pusheen** help", false)]
    [InlineData("cc:@pusheen help", false)]
    public async Task Every_form_of_mention_the_server_counts_is_answered(string message, bool withMentions)
    {
        var command = await Chat.UserPostsAsync(Channel, "bob", message, withMentions: withMentions);

        await Chat.WaitUntilAsync(c => ReplyTo(c, command)?["message"]?.ToString().Contains("what I can do") == true, "the help");
        Assert.Single(Chat.Posts(), p => (string?)p["root_id"] == command);
    }

    [Theory]
    [InlineData("```\n@pusheen help\n```", true)]
    [InlineData("try `@pusheen help` to see", true)]
    [InlineData("```\n@pusheen help\n```", false)]
    [InlineData("try `@pusheen help` to see", false)]
    [InlineData("mail bob@pusheen.example", false)]
    public async Task A_mention_inside_code_is_not_answered(string message, bool withMentions)
    {
        var ignored = await Chat.UserPostsAsync(Channel, "bob", message, withMentions: withMentions);
        var asked = await Chat.UserPostsAsync(Channel, "bob", "@pusheen help", withMentions: withMentions);

        // Messages are taken in order: once the later one is answered, the earlier one was passed over.
        await Chat.WaitUntilAsync(c => ReplyTo(c, asked) is not null, "the answer to the later message");
        Assert.Null(ReplyTo(Chat, ignored));
    }

    [Fact]
    public async Task The_creator_is_the_account_that_posted_not_the_sender_name_it_shows()
    {
        var command = await Chat.UserPostsAsync(Channel, "bob", "@pusheen create-release uat master", senderName: "@alice");

        await Chat.WaitUntilAsync(c => ReplyTo(c, command)?["message"]?.ToString().Contains("View Dashboard") == true, "the summary");
        using var reader = await _scenario.Host.SignedInAsync("reader");
        var releases = await reader.GetJsonAsync("/api/releases");
        Assert.Equal("bob", (string?)releases["items"]![0]!["createdBy"]);

        // Who asked is an identity too: the Mattermost user id, not a name.
        var release = await reader.GetJsonAsync($"/api/releases/{releases["items"]![0]!["id"]}");
        Assert.Equal("mattermost:user-bob", (string?)release["createdById"]);
    }

    [Fact]
    public async Task A_branch_name_with_a_backtick_stays_inside_its_code_span()
    {
        GitRepoBuilder.Open(Path.Combine(_scenario.Repos, TwoChangedRepos.Auth)).Branch("fix`@here`x");

        var command = await Chat.UserPostsAsync(Channel, "bob", "@pusheen create-release fix`@here`x master");

        await Chat.WaitUntilAsync(c => ReplyTo(c, command)?["message"]?.ToString().Contains("View Dashboard") == true, "the summary");
        Assert.Contains("## Release: `` fix`@here`x `` → `master`", ReplyTo(Chat, command)!["message"]!.ToString());
    }

    [Fact]
    public async Task Approvers_are_mentioned_only_by_their_Mattermost_username_and_channel_wide_mentions_never_appear()
    {
        var id = await _scenario.CreateReleaseFromChatAsync();
        using var channel = await _scenario.Host.SignedInAsync("channel", DevLead); // a dashboard name that is no username
        using var quinn = await _scenario.Host.SignedInAsync("quinn", Qa);          // a Mattermost username

        await ExpectJsonAsync(await channel.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.OK);
        await ExpectJsonAsync(await quinn.PostAsync($"/api/releases/{id}/approve/qa"), HttpStatusCode.OK);

        await Chat.WaitUntilAsync(c => CountPosts(c, "Release Ready to Deploy") == 1, "the ready post");
        await Chat.WaitUntilAsync(c => CountPosts(c, "QA ☑ @quinn") == 1, "the summary with both approvals");
        var ready = Chat.Posts(Channel).Single(p => p["message"]!.ToString().Contains("Release Ready to Deploy"))["message"]!.ToString();
        Assert.Contains("Approved by: channel (Dev), @quinn (QA)", ready);
        Assert.Contains("Dev ☑ channel · QA ☑ @quinn", Chat.Posts(Channel).Single(p => p["message"]!.ToString().Contains("## Release:"))["message"]!.ToString());
        Assert.All(Chat.Posts(), p => Assert.DoesNotMatch("@(channel|all|here)\\b", p["message"]!.ToString()));
    }

    [Fact]
    public async Task With_an_edit_time_limit_the_summary_is_posted_anew_and_nothing_retries_forever()
    {
        var id = await _scenario.CreateReleaseFromChatAsync();
        Chat.PostEditTimeLimit = TimeSpan.Zero;
        using var dana = await _scenario.Host.SignedInAsync("dana", DevLead);

        await ExpectJsonAsync(await dana.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.OK);

        await Chat.WaitUntilAsync(c => CountPosts(c, "Dev ☑ @dana · QA ☐") == 1, "a new summary post");
        Assert.True(1 == Chat.RefusedEdits, $"{Chat.RefusedEdits} refused: " + string.Join(" | ", Chat.Posts().Select(p => p.ToJsonString())));
        Assert.Equal(2, CountPosts(Chat, "## Release:")); // the old one stays as it was

        // The release remembers the new post: the next change goes to it (refused again, posted anew once).
        using var quinn = await _scenario.Host.SignedInAsync("quinn", Qa);
        await ExpectJsonAsync(await quinn.PostAsync($"/api/releases/{id}/approve/qa"), HttpStatusCode.OK);
        await Chat.WaitUntilAsync(c => CountPosts(c, "Dev ☑ @dana · QA ☑ @quinn") == 1, "the next summary post");
        await Chat.WaitUntilAsync(_ => UndeliveredNotices(_scenario.DatabasePath) == 0, "the outbox is empty");
        Assert.Equal(2, Chat.RefusedEdits);
        Assert.Equal(3, CountPosts(Chat, "## Release:"));
    }
}

/// <summary>The bot's first socket dropped by the network before its hello reached the bot.</summary>
public sealed class ChatFirstSocketDroppedTests
{
    [Fact]
    public async Task A_command_posted_after_the_first_socket_dropped_before_its_hello_is_answered_once_after_the_reconnect()
    {
        var logs = new CapturedLogs();
        await using var scenario = await ChatScenario.StartAsync(logs: logs, prepare: chat =>
        {
            chat.HoldSockets();
            chat.DropNextSocketBeforeHello();
        });
        var chat = scenario.Chat;
        await chat.WaitUntilAsync(c => c.HeldSockets >= 1, "the bot's first socket");
        chat.ReleaseSockets(holdLater: true); // the server makes the connection, the bot hears nothing of it

        await chat.WaitUntilAsync(c => c.HeldSockets >= 2, "the bot tries to reconnect");
        var command = await chat.UserPostsAsync(Channel, "bob", "@pusheen help"); // only the lost connection hears it
        chat.ReleaseSockets();

        await chat.WaitUntilAsync(c => ReplyTo(c, command) is not null, "the answer to the command");
        var later = await chat.UserPostsAsync(Channel, "bob", "@pusheen releases");
        await chat.WaitUntilAsync(c => ReplyTo(c, later) is not null, "the answer to a later command");
        Assert.Single(chat.Posts(), p => (string?)p["root_id"] == command);
        Assert.Equal(0, chat.Resumes);
        // The token was good (/users/me took it): the drop is not reported as a refused token.
        Assert.DoesNotContain(logs.Lines, line => line.Contains("refused the token", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, line => line.Contains("closed the socket before answering its authentication", StringComparison.Ordinal));
    }
}

/// <summary>A bot with a token Mattermost does not know.</summary>
public sealed class ChatWrongTokenTests
{
    [Fact]
    public async Task A_wrong_token_is_logged_once_and_retried_with_backoff()
    {
        var logs = new CapturedLogs();
        await using var scenario = await ChatScenario.StartAsync(token: "not-the-token", logs: logs);

        await scenario.Chat.WaitUntilAsync(c => c.RefusedTokens >= 2, "a second attempt with the wrong token");

        Assert.Single(logs.Lines, line => line.Contains("Mattermost refused the token", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, line => line.Contains("not-the-token", StringComparison.Ordinal));
        Assert.Equal(0, scenario.Chat.Authentications);
    }
}
