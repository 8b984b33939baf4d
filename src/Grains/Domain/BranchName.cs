namespace OrleansReleases.Grains.Domain;

/// <summary>
/// Which branch names a release accepts: git's own rules for a branch name (as
/// <c>git check-ref-format --branch</c> applies them), and never a name that a command line could
/// read as an option or that carries whitespace or invisible characters anywhere (nothing is trimmed
/// here: " uat" is refused, not read as "uat"). Names reach git only after passing this check.
/// </summary>
public static class BranchName
{
    public const int MaxLength = 200;

    /// <summary>Returns why <paramref name="name"/> is not a usable branch name, or null when it is.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "must not be empty";
        }

        if (name.Length > MaxLength)
        {
            return $"must be at most {MaxLength} characters";
        }

        if (name.StartsWith('-'))
        {
            return "must not start with '-'";
        }

        if (name == "@" || name == "HEAD")
        {
            return $"'{name}' is not a branch";
        }

        foreach (var c in name)
        {
            if (char.IsControl(c))
            {
                return $"must not contain a control character (U+{(int)c:X4})";
            }

            if (IsInvisible(c))
            {
                return $"must not contain whitespace or an invisible character (U+{(int)c:X4})";
            }

            if (c is '~' or '^' or ':' or '?' or '*' or '[' or '\\')
            {
                return $"must not contain '{c}'";
            }
        }

        if (name.Contains("..") || name.Contains("@{") || name.Contains("//"))
        {
            return "must not contain '..', '@{' or '//'";
        }

        if (name.StartsWith('/') || name.EndsWith('/') || name.EndsWith('.'))
        {
            return "must not start or end with '/' or end with '.'";
        }

        if (name.Split('/').Any(part => part.StartsWith('.') || part.EndsWith(".lock", StringComparison.Ordinal)))
        {
            return "no part may start with '.' or end with '.lock'";
        }

        return null;
    }

    /// <summary>
    /// Any whitespace (the ASCII space, and Unicode's: U+0085, U+00A0, U+2028, ...) and the format
    /// characters that show as nothing (U+200B, U+200E, U+202E, U+2060, U+FEFF, ...). A name carrying
    /// one looks like another branch's name, so it is refused wherever it stands rather than trimmed.
    /// </summary>
    private static bool IsInvisible(char c) =>
        char.IsWhiteSpace(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format;
}
