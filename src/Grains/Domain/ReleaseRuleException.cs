namespace OrleansReleases.Grains.Domain;

/// <summary>Which kind of rule a refused change broke; the HTTP layer maps each to a status code.</summary>
public enum RuleViolation
{
    /// <summary>The input itself is wrong (400).</summary>
    InvalidInput,

    /// <summary>The caller lacks the role the change needs (403).</summary>
    Forbidden,

    /// <summary>The release or repo does not exist (404).</summary>
    NotFound,

    /// <summary>The workflow does not allow the change now (409).</summary>
    Conflict,

    /// <summary>The caller edited an older version than the current one (412).</summary>
    VersionMismatch,

    /// <summary>The request is well-formed but there is nothing to make a release of (422).</summary>
    Unprocessable,
}

/// <summary>
/// A change was refused by a rule of the release workflow. Thrown before anything is changed,
/// so a refused change leaves the release exactly as it was.
/// </summary>
[GenerateSerializer]
public sealed class ReleaseRuleException : Exception
{
    public ReleaseRuleException(RuleViolation violation, string message) : base(message)
    {
        Violation = violation;
    }

    [Id(0)]
    public RuleViolation Violation { get; private set; }
}
