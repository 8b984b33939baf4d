namespace OrleansReleases.Web.Hubs;

/// <summary>The id a browser picks to watch the progress of its own request (header <c>X-Progress-Id</c>).</summary>
public static class ProgressId
{
    public const string Header = "X-Progress-Id";

    public static bool IsWellFormed(string? id) =>
        id is { Length: > 0 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
