namespace OrleansReleases.Grains.Domain;

/// <summary>
/// What a user asks for when creating a release, and the chat channel that should hear about it
/// (with the post that becomes its summary, when the request came from chat).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record NewRelease(string SourceBranch, string DestBranch, string? Notes = null, string? ChatChannelId = null, string? ChatPostId = null,
    CarriedDependencies? Carried = null)
{
    /// <summary>Returns why the request cannot become a release, or null when it can.</summary>
    public string? Problem()
    {
        if (BranchName.Problem(SourceBranch) is { } source)
        {
            return $"sourceBranch {source}.";
        }

        if (BranchName.Problem(DestBranch) is { } dest)
        {
            return $"destBranch {dest}.";
        }

        if (SourceBranch == DestBranch)
        {
            return "sourceBranch and destBranch must differ.";
        }

        return Notes is { Length: > Release.MaxTextLength } ? $"notes must be at most {Release.MaxTextLength} characters." : null;
    }
}
