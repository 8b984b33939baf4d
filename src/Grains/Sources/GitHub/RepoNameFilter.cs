using System.Text.RegularExpressions;

namespace OrleansReleases.Grains.Sources.GitHub;

/// <summary>
/// Which repos of the organisation take part: names matching an <c>Include</c> pattern (all when
/// there is none) and no <c>Exclude</c> pattern. Patterns are globs: <c>*</c> any run of
/// characters, <c>?</c> one character. Matching ignores case, as GitHub does for repo names.
/// </summary>
public sealed class RepoNameFilter
{
    private readonly Regex[] _include;
    private readonly Regex[] _exclude;

    public RepoNameFilter(IEnumerable<string> include, IEnumerable<string> exclude)
    {
        _include = [.. include.Select(ToRegex)];
        _exclude = [.. exclude.Select(ToRegex)];
    }

    public bool Matches(string repoName) =>
        (_include.Length == 0 || _include.Any(pattern => pattern.IsMatch(repoName)))
        && !_exclude.Any(pattern => pattern.IsMatch(repoName));

    private static Regex ToRegex(string glob) =>
        new("^" + Regex.Escape(glob).Replace(@"\*", ".*").Replace(@"\?", ".") + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
}
