namespace OrleansReleases.Grains.Domain;

/// <summary>
/// The <c>dependsOn</c> a new release starts with: those of the most recent earlier release of the
/// same branch pair (<see cref="FromReleaseId"/>), by repo name. Only repos both releases hold are used.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CarriedDependencies(string FromReleaseId, IReadOnlyDictionary<string, IReadOnlyList<string>> DependsOn);
