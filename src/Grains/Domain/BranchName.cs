namespace OrleansReleases.Grains.Domain;

/// <summary>
/// Which branch names a release accepts: git's own rules for a branch name (as
/// <c>git check-ref-format --branch</c> applies them), and never a name that a command line could
/// read as an option. Names reach git only after passing this check.
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
            if (char.IsControl(c) || c is ' ' or '~' or '^' or ':' or '?' or '*' or '[' or '\\' or '\u007f')
            {
                return $"must not contain '{(char.IsControl(c) ? "a control character" : c.ToString())}'";
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
}
