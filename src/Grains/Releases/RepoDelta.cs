namespace OrleansReleases.Grains.Releases;

/// <summary>
/// The repos one stored version of a release changed against the one before: added or changed
/// (by name), and removed. See <see cref="ReleaseView.Delta"/>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RepoDelta(IReadOnlyList<string> Changed, IReadOnlyList<string> Removed)
{
    /// <summary>The repos of <paramref name="after"/> that differ from <paramref name="before"/>; null when there is no before.</summary>
    public static RepoDelta? Between(ReleaseView? before, ReleaseView after)
    {
        if (before is null || before.Id != after.Id)
        {
            return null;
        }

        var old = new Dictionary<string, RepoView>(before.Repos.Count, StringComparer.Ordinal);
        foreach (var repo in before.Repos)
        {
            old[repo.Name] = repo;
        }

        var changed = new List<string>();
        foreach (var repo in after.Repos)
        {
            if (!old.Remove(repo.Name, out var was) || !Same(was, repo))
            {
                changed.Add(repo.Name);
            }
        }

        return new RepoDelta(changed, [.. old.Keys.Order(StringComparer.Ordinal)]);
    }

    private static bool Same(RepoView a, RepoView b) =>
        a.CommitCount == b.CommitCount && a.HeadSha == b.HeadSha && a.Excluded == b.Excluded && a.Stale == b.Stale
        && a.PrNumber == b.PrNumber && a.PrUrl == b.PrUrl && a.Source == b.Source
        && a.Contributors.SequenceEqual(b.Contributors) && a.DependsOn.SequenceEqual(b.DependsOn);
}
