namespace OrleansReleases.Grains.Sources;

/// <summary>Settings under <c>Releases:Sources:LocalGit</c>.</summary>
public sealed class LocalGitOptions
{
    public const string Section = "Releases:Sources:LocalGit";

    /// <summary>A folder whose sub-folders are git repositories (bare or not).</summary>
    public string? Root { get; set; }

    /// <summary>How many repos are compared at once.</summary>
    public int Parallelism { get; set; } = Math.Max(2, Environment.ProcessorCount * 2);

    /// <summary>The time limit of one git command; a repo whose git takes longer is named in the warnings.</summary>
    public TimeSpan CommandTimeout { get; set; } = GitCommand.DefaultTimeout;
}
