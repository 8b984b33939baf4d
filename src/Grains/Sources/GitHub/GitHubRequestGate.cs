namespace OrleansReleases.Grains.Sources.GitHub;

/// <summary>
/// The bound on requests to GitHub under way at once (<see cref="GitHubOptions.Parallelism"/>),
/// shared by every comparison of the process: two releases created together still stay within it.
/// </summary>
public sealed class GitHubRequestGate(GitHubOptions options)
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, options.Parallelism));

    public Task WaitAsync(CancellationToken cancellationToken) => _slots.WaitAsync(cancellationToken);

    public void Release() => _slots.Release();
}
