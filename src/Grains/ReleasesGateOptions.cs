namespace OrleansReleases.Grains;

/// <summary>Settings under <c>Releases:Gate</c>: what besides the two sign-offs an approval needs.</summary>
public sealed class ReleasesGateOptions
{
    public const string Section = "Releases:Gate";

    /// <summary>
    /// How CI checks of the included repos' head commits bind approvals: <c>block-failure</c>
    /// (approving is refused while any is failing), <c>require-success</c> (also while any is
    /// pending) or <c>off</c>.
    /// </summary>
    public string Checks { get; set; } = "block-failure";
}
