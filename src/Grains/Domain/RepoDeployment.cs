using System.Text.Json.Serialization;

namespace OrleansReleases.Grains.Domain;

/// <summary>Where a repo's deployment stands, as its pipeline (or a person) last reported it.</summary>
public enum DeploymentState
{
    [JsonStringEnumMemberName("in_progress")]
    InProgress,

    [JsonStringEnumMemberName("success")]
    Success,

    [JsonStringEnumMemberName("failure")]
    Failure,
}

/// <summary>
/// The last deployment report of one repo of a release: its state, the commit deployed (the one the
/// approvals cover), when and by whom, and a link to the pipeline run (optional).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RepoDeployment(DeploymentState State, string Sha, DateTime At, string By, string? Url, string? ById = null);

/// <summary>A deployment report: <c>POST /api/releases/{id}/repos/{name}/deployment</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record DeploymentReport(string Repo, string Sha, DeploymentState State, string? Url = null);

/// <summary>
/// A freeze in force now: the stop-the-line switch, or a recurring window from the settings. While
/// one is, starting a deployment and "Mark deployed" are refused unless an admin overrides it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ActiveFreeze(string Reason, DateTime? Until)
{
    /// <summary>The sentence a refusal carries.</summary>
    public string Describe() =>
        $"Deploys are frozen: {Reason}" + (Until is { } until ? $" (until {until:yyyy-MM-dd HH:mm} UTC)" : "") + ".";
}

/// <summary>
/// How a change that starts a deployment goes through a freeze: <see cref="Freeze"/> is the freeze
/// in force (null when none), <see cref="OverrideReason"/> the admin's reason to go through anyway
/// (the endpoint checks the admin role before it passes one).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FreezeCheck(ActiveFreeze? Freeze, string? OverrideReason = null)
{
    public static FreezeCheck None { get; } = new((ActiveFreeze?)null);
}
