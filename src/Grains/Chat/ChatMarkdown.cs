using System.Text;
using System.Text.RegularExpressions;

namespace OrleansReleases.Grains.Chat;

/// <summary>
/// Values from users and repositories (branch names, people, repo names, reasons) written into
/// Markdown posts so they stay what they are: in a code span with a fence longer than any backtick
/// run inside, or as escaped text. Neither form can mention anyone (Mattermost counts mentions
/// only in text outside code, and an <c>@</c> followed by a zero-width space is no mention), so
/// the bot never writes <c>@channel</c>, <c>@all</c> or <c>@here</c>; <c>@name</c> only for a
/// verified username (<see cref="Person"/>).
/// </summary>
public static partial class ChatMarkdown
{
    /// <summary>Breaks an <c>@</c> so Mattermost's mention parser sees a lone "@" word.</summary>
    private const string BrokenAt = "@\u200B";

    /// <summary>The names Mattermost reserves (never a user): mentioning them notifies everyone.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase) { "all", "channel", "here", "everyone" };

    /// <summary>A code span holding <paramref name="value"/> verbatim (on one line).</summary>
    public static string Code(string value)
    {
        var text = OneLine(value);
        if (text.Length == 0)
        {
            return "` `";
        }

        var longest = Backticks().Matches(text).Select(m => m.Length).DefaultIfEmpty(0).Max();
        var fence = new string('`', longest + 1);
        // A space on each side keeps a backtick at either end apart from the fence (CommonMark strips one each).
        return longest == 0 && text[0] != ' ' && text[^1] != ' ' ? $"`{text}`" : $"{fence} {text} {fence}";
    }

    /// <summary><paramref name="value"/> as plain text: Markdown escaped, mentions broken, on one line.</summary>
    public static string Text(string value)
    {
        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in OneLine(value))
        {
            if (c == '@')
            {
                builder.Append(BrokenAt);
            }
            else
            {
                if (@"\`*_[]<>|~".Contains(c))
                {
                    builder.Append('\\');
                }

                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>A person: <c>@name</c> when <paramref name="usernames"/> says it is a Mattermost username, else escaped text.</summary>
    public static string Person(string name, IReadOnlySet<string> usernames)
    {
        var bare = name.TrimStart('@');
        return CouldBeUsername(bare) && usernames.Contains(bare) ? $"@{bare.ToLowerInvariant()}" : Text(name);
    }

    /// <summary>Whether <paramref name="name"/> has the shape of a Mattermost username (and is not a reserved word).</summary>
    public static bool CouldBeUsername(string name) => UsernameShape().IsMatch(name) && !Reserved.Contains(name);

    private static string OneLine(string value) => value.Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' ');

    [GeneratedRegex("`+")]
    private static partial Regex Backticks();

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9.\-_]{0,63}$")]
    private static partial Regex UsernameShape();
}
