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
    /// Reads "@bot create-release uat master", "@bot releases", "@bot help". Null when the message
    /// does not mention the bot at all.
    /// </summary>
    public static ChatCommand? Parse(string message, string botName)
    {
        var mention = $"@{botName}";
        var words = message.Split((char[])[' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);
        var at = Array.FindIndex(words, w => string.Equals(w.TrimEnd(':', ',', '.'), mention, StringComparison.OrdinalIgnoreCase));
        if (at < 0)
        {
            return null;
        }

        var args = words[(at + 1)..];
        return args switch
        {
            [] => new Help(),
            ["help", ..] => new Help(),
            ["releases"] => new ListReleases(),
            ["status", var id] => new Status(id),
            ["create-release", var source, var dest] => new CreateRelease(source, dest),
            ["create-release", ..] => new Help("create-release needs two branch names: the source and the destination."),
            _ => new Help($"I don't know `{string.Join(' ', args).Replace("`", "")}`."),
        };
    }
}
