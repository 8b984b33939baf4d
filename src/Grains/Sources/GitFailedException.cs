namespace OrleansReleases.Grains.Sources;

/// <summary>
/// Git failed on a repository. <see cref="Exception.Message"/> is a short reason fit for people
/// (no server paths, no git output); <see cref="Details"/> (git's own error text) is for the logs only.
/// </summary>
public sealed class GitFailedException(string shortReason, string details) : Exception(shortReason)
{
    public string Details { get; } = details;

    /// <summary>The warning a release shows for a repo that could not be compared: its name and a short reason, never a path.</summary>
    public static string Warning(string repoName, Exception exception) => exception switch
    {
        GitFailedException git => $"{repoName} could not be compared (git failed: {git.Message})",
        TimeoutException => $"{repoName} could not be compared (git failed: timed out)",
        _ => $"{repoName} could not be compared (git failed: unexpected error)",
    };
}
