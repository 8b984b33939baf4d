namespace OrleansReleases.Grains.Domain;

/// <summary>The sign-offs a release needs before it may be deployed (all of them: see <see cref="Approvals"/>).</summary>
public enum ApprovalKind
{
    Dev,
    Qa,
}

public static class ApprovalKindNames
{
    /// <summary>The word used in URLs (<c>/approve/dev</c>), in history entries and in the stored state.</summary>
    public static string Slug(this ApprovalKind kind) => kind switch
    {
        ApprovalKind.Dev => "dev",
        ApprovalKind.Qa => "qa",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The word people read ("Dev", "QA").</summary>
    public static string Label(this ApprovalKind kind) => kind switch
    {
        ApprovalKind.Dev => "Dev",
        ApprovalKind.Qa => "QA",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool TryParse(string? slug, out ApprovalKind kind)
    {
        foreach (var candidate in Approvals.Kinds)
        {
            if (candidate.Slug() == slug)
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
