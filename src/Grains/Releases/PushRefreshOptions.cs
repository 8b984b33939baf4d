namespace OrleansReleases.Grains.Releases;

/// <summary>Settings under <c>Releases:PushRefresh</c>: how pushes reported by the webhook refresh releases.</summary>
public sealed class PushRefreshOptions
{
    public const string Section = "Releases:PushRefresh";

    /// <summary>
    /// How long the first push to a release waits for more before its repos are compared: a burst of
    /// pushes (a merge train) is compared once. Zero compares at once; pushes that arrive while a
    /// comparison runs are still taken together by the next one.
    /// </summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(1);
}
