namespace OrleansReleases.Grains.Gate;

/// <summary>
/// What the gate accepts as a question: a repo name, a commit (full or a prefix) and a destination
/// branch (checked with <see cref="Domain.BranchName"/> by the caller).
/// </summary>
public static class GateInput
{
    public const int MinShaLength = 7;
    public const int MaxShaLength = 40;
    public const int MaxRepoLength = 200;

    /// <summary>
    /// Why <paramref name="repo"/> is not a repo name, or null when it is: letters, digits, '.', '-'
    /// and '_' (GitHub's rules for a repo name), at most <see cref="MaxRepoLength"/> characters, not
    /// starting with '-', and not "." or ".."; optionally after one source prefix and a '/'
    /// (<c>github/auth-service</c>), as a release names a repo two sources have.
    /// </summary>
    public static string? RepoProblem(string? repo)
    {
        if (string.IsNullOrEmpty(repo))
        {
            return "repo is required: the repository's name, as the release lists it.";
        }

        if (repo.Length > MaxRepoLength)
        {
            return $"repo must be at most {MaxRepoLength} characters.";
        }

        var parts = repo.Split('/');
        if (parts.Length > 2 || parts.Any(part => part.Length == 0 || part is "." or ".." || part.StartsWith('-')
            || part.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))))
        {
            return "repo must be a repository name: letters, digits, '.', '-' and '_', not starting with '-' "
                + "(optionally after a source and '/', such as github/auth-service).";
        }

        return null;
    }

    /// <summary>Why <paramref name="sha"/> is not a commit or a usable prefix of one, or null when it is.</summary>
    public static string? ShaProblem(string? sha)
    {
        if (string.IsNullOrEmpty(sha))
        {
            return "sha is required: the commit to deploy, in full or its first 7 or more hex digits.";
        }

        if (sha.Length is < MinShaLength or > MaxShaLength || !sha.All(char.IsAsciiHexDigit))
        {
            return $"sha must be {MinShaLength} to {MaxShaLength} hexadecimal digits (a commit, in full or a prefix of it).";
        }

        return null;
    }

    /// <summary>The key the gate index finds a repo by: its name without a source prefix, lower-cased.</summary>
    public static string RepoKey(string repo)
    {
        var slash = repo.IndexOf('/');
        return (slash < 0 ? repo : repo[(slash + 1)..]).ToLowerInvariant();
    }

    /// <summary>
    /// Whether a repo a release holds (<paramref name="held"/>) is the one asked about: the same name,
    /// case ignored; a bare name also finds the repo under a source prefix (<c>auth-service</c> finds
    /// <c>github/auth-service</c>).
    /// </summary>
    public static bool Matches(string asked, string held) =>
        asked.Contains('/')
            ? string.Equals(asked, held, StringComparison.OrdinalIgnoreCase)
            : string.Equals(RepoKey(asked), RepoKey(held), StringComparison.Ordinal);
}
