using Orleans.Configuration;

namespace OrleansReleases.Grains.Releases;

/// <summary>
/// Idle release grains leave memory after <c>Releases:IdleReleaseAfter</c> (default 10 minutes)
/// instead of Orleans' two hours: a release over 3,000 repos holds a few MB (its state and the
/// answer it keeps), so an organisation's releases looked at one after another would otherwise pile
/// up. Orleans' per-class collection age (<see cref="GrainCollectionOptions.ClassSpecificCollectionAge"/>)
/// applies it to <see cref="ReleaseGrain"/> only; the collector runs every
/// <see cref="GrainCollectionOptions.CollectionQuantum"/>, shortened when the age is below it.
/// </summary>
public static class ReleaseGrainCollection
{
    public static readonly TimeSpan DefaultIdleAfter = TimeSpan.FromMinutes(10);

    /// <summary>The key Orleans looks the release grain's age up by: the grain class's full name.</summary>
    public static string GrainClassKey => typeof(ReleaseGrain).FullName!;

    public static void Configure(GrainCollectionOptions options, TimeSpan idleAfter)
    {
        if (idleAfter <= TimeSpan.Zero)
        {
            idleAfter = DefaultIdleAfter;
        }

        options.ClassSpecificCollectionAge[GrainClassKey] = idleAfter;
        if (idleAfter < options.CollectionQuantum * 2)
        {
            options.CollectionQuantum = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, idleAfter.Ticks / 2));
        }
    }
}
