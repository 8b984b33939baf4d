namespace OrleansReleases.Grains.Chat;

/// <summary>A message addressed to the bot, understood.</summary>
public abstract record ChatCommand
{
    public sealed record CreateRelease(string Source, string Dest) : ChatCommand;

    public sealed record ListReleases : ChatCommand;

    public sealed record Status(string ReleaseId) : ChatCommand;

    /// <summary>Help, also the answer to anything not understood (<see cref="Problem"/> says what was wrong).</summary>
    public sealed record Help(string? Problem = null) : ChatCommand;

    /// <summary>
    /// Reads "@bot create-release uat master", "@bot releases", "@bot help": the words after the
    /// first mention of the bot, by Mattermost's mention rules (see <see cref="ChatMentions"/>).
    /// Null when the message does not mention the bot.
    /// </summary>
    public static ChatCommand? Parse(string message, string botName) =>
        ChatMentions.TextAfterMention(message, botName) is { } text ? ParseWords(text) : null;

    private static ChatCommand ParseWords(string text)
    {
        var args = text.Split((char[])[' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);
        return args switch
        {
            [] => new Help(),
            ["help", ..] => new Help(),
            ["releases"] => new ListReleases(),
            ["status", var id] => new Status(id),
            ["create-release", var source, var dest] => new CreateRelease(source, dest),
            ["create-release", ..] => new Help("create-release needs two branch names: the source and the destination."),
            _ => new Help($"I don't know {ChatMarkdown.Code(string.Join(' ', args))}."),
        };
    }
}
