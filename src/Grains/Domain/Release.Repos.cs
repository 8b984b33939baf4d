namespace OrleansReleases.Grains.Domain;

public sealed partial class Release
{
    /// <summary>
    /// Takes in a comparison of a few repos (those a push touched), leaving every other repo as it
    /// is: each compared repo is updated, joins, leaves (no commits to release any more) or turns
    /// stale (could not be compared), with the same rules as a whole refresh. The
    /// <paramref name="ticket"/> orders it with every other comparison: one that began before the
    /// comparison last applied is ignored (false, nothing changed). Nothing new: no version, no
    /// history entry, and true.
    /// </summary>
    public bool RefreshRepos(Actor actor, IReadOnlyList<ComparedRepo> compared, long ticket)
    {
        EnsureOpen();
        EnsureTicket(ticket);
        if (IsOutdated(ticket))
        {
            return false;
        }

        var byName = compared.ToDictionary(NameInRelease, StringComparer.Ordinal);
        var changed = new List<RepoChange>();
        var failed = new List<string>();
        foreach (var repo in State.Repos.Where(r => !byName.ContainsKey(r.Name)))
        {
            if (repo.Stale)
            {
                failed.Add(repo.Name);
            }
            else
            {
                changed.Add(new RepoChange(repo.Name, repo.CommitCount, repo.Contributors, repo.HeadSha, repo.PrNumber, repo.PrUrl, repo.Source));
            }
        }

        foreach (var (name, result) in byName)
        {
            if (result.Warning is not null)
            {
                failed.Add(name);
            }
            else if (result.Change is { } change)
            {
                changed.Add(change with { Name = name, Source = change.Source ?? result.Source });
            }
        }

        var rawNames = compared.Select(c => c.Name + ":").ToList();
        var warnings = State.Warnings.Where(w => !rawNames.Any(prefix => w.StartsWith(prefix, StringComparison.Ordinal)))
            .Concat(compared.Select(c => c.Warning).OfType<string>())
            .ToList();
        var comparison = new ComparedRepos(changed, warnings, failed);
        var merged = Merge(comparison);
        if (SameRepos(State.Repos, merged) && warnings.SequenceEqual(State.Warnings))
        {
            return true; // the push changed nothing this release shows
        }

        TakeIn(actor, comparison, merged, ticket, $"{string.Join(", ", byName.Keys.Order(StringComparer.Ordinal))} compared again after a push");
        return true;
    }

    /// <summary>
    /// What the release calls a repo its source names <see cref="ComparedRepo.Name"/>: prefixed
    /// ("github/auth-service") when the release has it so, or when another source's repo of that
    /// name is in the release; else the plain name.
    /// </summary>
    private string NameInRelease(ComparedRepo repo)
    {
        var prefixed = $"{repo.Source}/{repo.Name}";
        if (State.FindRepo(prefixed) is not null)
        {
            return prefixed;
        }

        return State.FindRepo(repo.Name) is { } plain && plain.Source is not null && plain.Source != repo.Source ? prefixed : repo.Name;
    }

    private static bool SameRepos(List<ReleaseRepo> before, List<ReleaseRepo> after) =>
        before.Count == after.Count && before.Zip(after).All(pair =>
        {
            var (a, b) = pair;
            return a.Name == b.Name && a.CommitCount == b.CommitCount && a.HeadSha == b.HeadSha && a.PrNumber == b.PrNumber
                && a.PrUrl == b.PrUrl && a.Source == b.Source && a.Excluded == b.Excluded && a.Stale == b.Stale
                && a.Contributors.SequenceEqual(b.Contributors) && a.DependsOn.SequenceEqual(b.DependsOn);
        });
}
