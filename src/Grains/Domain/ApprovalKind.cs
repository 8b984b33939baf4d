namespace OrleansReleases.Grains.Domain;

/// <summary>The two sign-offs a release needs before it may be deployed.</summary>
public enum ApprovalKind
{
    Dev,
    Qa,
}

public static class ApprovalKindNames
{
    /// <summary>The word used in URLs (<c>/approve/dev</c>) and in history entries.</summary>
    public static string Slug(this ApprovalKind kind) => kind == ApprovalKind.Dev ? "dev" : "qa";

    /// <summary>The word people read ("Dev", "QA").</summary>
    public static string Label(this ApprovalKind kind) => kind == ApprovalKind.Dev ? "Dev" : "QA";

    public static bool TryParse(string? slug, out ApprovalKind kind)
    {
        switch (slug)
        {
            case "dev": kind = ApprovalKind.Dev; return true;
            case "qa": kind = ApprovalKind.Qa; return true;
            default: kind = default; return false;
        }
    }
}
