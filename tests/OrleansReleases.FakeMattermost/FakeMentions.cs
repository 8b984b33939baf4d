using System.Text.RegularExpressions;

namespace OrleansReleases.Fakes;

/// <summary>
/// Who a message mentions, as Mattermost's server decides it (app/mention_parser_standard.go):
/// only text outside code counts; words split on anything but letters, digits and <c>: . - _ @</c>;
/// a word matches <c>@username</c> as it is or with trailing <c>. - : _</c> taken off;
/// <c>@channel</c>, <c>@all</c> and <c>@here</c> mention everyone. The sender is never mentioned.
/// </summary>
public static partial class FakeMentions
{
    public static List<string> UserIds(string message, IEnumerable<(string Id, string Username)> users, string senderId)
    {
        var byMention = users.ToDictionary(u => "@" + u.Username.ToLowerInvariant(), u => u.Id);
        var found = new List<string>();
        void Add(string id)
        {
            if (id != senderId && !found.Contains(id))
            {
                found.Add(id);
            }
        }

        foreach (var raw in Words().Split(WithoutCode(message)).Where(w => w.Length > 0))
        {
            if (raw.Length > 1 && raw[0] == ':' && raw[^1] == ':')
            {
                continue; // an emoji
            }

            var word = raw.TrimStart(':', '.', '-', '_').ToLowerInvariant();
            while (word.Length > 0)
            {
                if (word is "@channel" or "@all" or "@here")
                {
                    foreach (var id in byMention.Values)
                    {
                        Add(id);
                    }

                    break;
                }

                if (byMention.TryGetValue(word, out var userId))
                {
                    Add(userId);
                    break;
                }

                if (".-:_".Contains(word[^1]))
                {
                    word = word[..^1];
                    continue;
                }

                break;
            }
        }

        return found;
    }

    /// <summary>The message without fenced code blocks and inline code spans.</summary>
    public static string WithoutCode(string message)
    {
        var text = Fenced().Replace(message, "\n");
        return InlineCode().Replace(text, " ");
    }

    [GeneratedRegex(@"[^\p{L}\p{N}:.\-_@]+")]
    private static partial Regex Words();

    [GeneratedRegex(@"^ {0,3}(```+|~~~+)[^\n]*\n[\s\S]*?(^ {0,3}\1[ \t]*$|\z)", RegexOptions.Multiline)]
    private static partial Regex Fenced();

    [GeneratedRegex(@"(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)")]
    private static partial Regex InlineCode();
}
