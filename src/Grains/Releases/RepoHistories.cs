using OrleansReleases.Grains.Sources;

namespace OrleansReleases.Grains.Releases;

/// <summary>Finds the <see cref="IRepositoryHistory"/> of a repo of a release, and the repo's name in its source.</summary>
public sealed class RepoHistories(IEnumerable<IRepositoryHistory> histories)
{
    private readonly IReadOnlyList<IRepositoryHistory> _all = [.. histories];

    /// <summary>
    /// The history of the source <paramref name="source"/> ("github", "local"; null for releases
    /// stored before sources were recorded: the name's prefix, or the only source) and the repo's
    /// name there (without the "github/" a shared name carries). Null when that source is not configured.
    /// </summary>
    public (IRepositoryHistory History, string Name)? For(string name, string? source)
    {
        var slash = name.IndexOf('/');
        var prefix = source ?? (slash > 0 ? name[..slash] : _all.Count == 1 ? _all[0].NamePrefix : null);
        var history = _all.FirstOrDefault(h => h.NamePrefix == prefix);
        if (history is null)
        {
            return null;
        }

        var raw = name.StartsWith(history.NamePrefix + "/", StringComparison.Ordinal) ? name[(history.NamePrefix.Length + 1)..] : name;
        return (history, raw);
    }
}
