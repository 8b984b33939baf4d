using System.Text.RegularExpressions;

namespace OrleansReleases.Grains.Chat;

/// <summary>
/// Whether a message mentions the bot, by Mattermost's own rules (the server's standard mention
/// parser): only text outside code blocks and inline code counts; words split on anything but
/// letters, digits and <c>: . - _ @</c>; a word is the mention as it is, with leading
/// <c>: . - _</c> or trailing <c>. - : _</c> taken off, or one of its parts split at
/// <c>. - :</c>. So <c>(@pusheen) help</c>, <c>@pusheen!</c>, <c>**@pusheen**</c> and
/// <c>cc:@pusheen</c> mention the bot, <c>`@pusheen`</c> and <c>bob@pusheen</c> do not.
/// </summary>
public static partial class ChatMentions
{
    /// <summary>
    /// The text after the first mention of <c>@<paramref name="name"/></c> (punctuation stuck to
    /// the mention taken off), or null when the message does not mention it.
    /// </summary>
    public static string? TextAfterMention(string message, string name)
    {
        var mention = "@" + name.TrimStart('@');
        var text = MaskCode(message);
        foreach (Match word in Word().Matches(text))
        {
            if (EndOfMention(word.Value, mention) is { } end)
            {
                var rest = message[(word.Index + end)..];
                var stuck = 0;
                while (stuck < rest.Length && !char.IsWhiteSpace(rest[stuck]))
                {
                    stuck++; // ")", "!", "**", ":" … right after the mention
                }

                return rest[stuck..];
            }
        }

        return null;
    }

    /// <summary>Where the mention ends inside <paramref name="word"/>, if the word is that mention.</summary>
    private static int? EndOfMention(string word, string mention)
    {
        if (word.Length > 1 && word[0] == ':' && word[^1] == ':')
        {
            return null; // an emoji
        }

        var start = 0;
        while (start < word.Length && ":.-_".Contains(word[start]))
        {
            start++;
        }

        var trimmed = word[start..];
        for (var length = trimmed.Length; length > 0; length--)
        {
            if (string.Equals(trimmed[..length], mention, StringComparison.OrdinalIgnoreCase))
            {
                return start + length;
            }

            if (!".-:_".Contains(trimmed[length - 1]))
            {
                break; // only trailing punctuation may come off
            }
        }

        // A word such as "cc:@pusheen" or "see.@pusheen.": its parts between . - : count on their own.
        var at = 0;
        foreach (var part in trimmed.Split('.', '-', ':'))
        {
            if (string.Equals(part, mention, StringComparison.OrdinalIgnoreCase))
            {
                return start + at + part.Length;
            }

            at += part.Length + 1;
        }

        return null;
    }

    /// <summary>The message with code blocks and inline code blanked out (same length, so positions hold).</summary>
    public static string MaskCode(string message)
    {
        var text = FencedCode().Replace(message, m => Blank(m.Value));
        text = IndentedCode().Replace(text, m => Blank(m.Value));
        return InlineCode().Replace(text, m => Blank(m.Value));
    }

    private static string Blank(string value) => new([.. value.Select(c => c == '\n' ? '\n' : ' ')]);

    [GeneratedRegex(@"[\p{L}\p{N}:.\-_@]+")]
    private static partial Regex Word();

    [GeneratedRegex(@"^ {0,3}(`{3,}|~{3,})[^\n]*(\n[\s\S]*?)?(\n {0,3}\1[`~]*[ \t]*(?=\n|$)|$(?![\s\S]))", RegexOptions.Multiline)]
    private static partial Regex FencedCode();

    [GeneratedRegex(@"(?<=\A|\n[ \t]*\n)((?: {4}|\t)[^\n]*(?:\n|$))+")]
    private static partial Regex IndentedCode();

    [GeneratedRegex(@"(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)")]
    private static partial Regex InlineCode();
}
