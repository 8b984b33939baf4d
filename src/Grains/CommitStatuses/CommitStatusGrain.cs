using Microsoft.Extensions.Logging;
using OrleansReleases.Grains.Chat;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Grains.Sources.GitHub;

namespace OrleansReleases.Grains.CommitStatuses;

/// <summary>
/// Delivers one release's commit statuses (not reentrant: one delivery at a time). A delivery
/// reads the release as last stored, works out the statuses it wants
/// (<see cref="CommitStatusRules"/>), sets each one GitHub does not already have from this service,
/// and then marks that version delivered in the outbox. When some fail, the outbox records the
/// failure and the next try (exponential back-off from <c>Releases:GitHub:RetryDelay</c>, at most
/// <see cref="MaxRetryDelay"/>); a timer of this grain tries then, and the sweep does should the
/// process die meanwhile. Failures that trying again will not mend (a 4xx other than a rate limit)
/// are given up after <see cref="MaxAttempts"/> tries, with an error in the log.
/// </summary>
public sealed class CommitStatusGrain(
    ICommitStatusOutbox outbox,
    IGitHubStatusPoster poster,
    DashboardLinks links,
    GitHubOptions options,
    TimeProvider clock,
    ILogger<CommitStatusGrain> logger) : Grain, ICommitStatusGrain
{
    public const int MaxAttempts = 5;

    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(10);

    private IGrainTimer? _retry;

    public async Task Deliver()
    {
        var id = this.GetPrimaryKeyString();
        var debt = await outbox.GetAsync(id);
        var release = await GrainFactory.GetGrain<IReleaseGrain>(id).Get();
        if (release is null)
        {
            if (debt is not null)
            {
                await outbox.MarkDeliveredAsync(id, debt.Version); // nothing to say about a release that is not there
            }

            return;
        }

        if (debt is not null && debt.DeliveredVersion >= release.Version)
        {
            return; // GitHub has this state already
        }

        var failures = new List<(DesiredStatus Status, Exception Error)>();
        foreach (var status in CommitStatusRules.For(release, links.Release(id)))
        {
            var fullName = $"{options.Organization}/{status.Repo}";
            var sent = await outbox.LastSentAsync(fullName, status.Sha, status.Context);
            if (sent is not null && sent.State == status.State && sent.Description == status.Description && sent.TargetUrl == status.TargetUrl)
            {
                continue; // set already, as it is wanted now
            }

            try
            {
                await poster.PostAsync(status);
                await outbox.RecordSentAsync(fullName, status, id, clock.GetUtcNow().UtcDateTime);
            }
            catch (Exception ex)
            {
                failures.Add((status, ex));
            }
        }

        if (failures.Count == 0)
        {
            await outbox.MarkDeliveredAsync(id, release.Version);
            logger.LogDebug("Commit statuses of release {ReleaseId} version {Version} are on GitHub", id, release.Version);
            return;
        }

        var attempts = (debt?.Attempts ?? 0) + 1;
        var reasons = string.Join("; ", failures.Select(f => $"{f.Status.Repo}@{f.Status.Sha[..Math.Min(7, f.Status.Sha.Length)]}: {GitHubFailure.Describe(f.Error, options.Token)}"));
        if (attempts >= MaxAttempts && failures.All(f => GitHubStatusPoster.IsPermanent(f.Error)))
        {
            logger.LogError("Gave up setting {Count} commit statuses of release {ReleaseId} version {Version} after {Attempts} tries: {Reasons}",
                failures.Count, id, release.Version, attempts, reasons);
            await outbox.MarkDeliveredAsync(id, release.Version);
            return;
        }

        var delay = RetryDelay(attempts);
        logger.LogWarning("Could not set {Count} commit statuses of release {ReleaseId} (try {Attempts}); trying again in {Delay}: {Reasons}",
            failures.Count, id, attempts, delay, reasons);
        await outbox.MarkFailedAsync(id, release.Version, attempts, clock.GetUtcNow().UtcDateTime + delay, reasons);
        _retry?.Dispose();
        _retry = this.RegisterGrainTimer(async _ =>
        {
            _retry?.Dispose();
            _retry = null;
            await Deliver();
        }, new GrainTimerCreationOptions { DueTime = delay, Period = Timeout.InfiniteTimeSpan });
    }

    /// <summary>RetryDelay × 2^(attempts+1): 4 s, 8 s, 16 s … with the default 1 s, at most <see cref="MaxRetryDelay"/>.</summary>
    private TimeSpan RetryDelay(int attempts)
    {
        var first = options.RetryDelay > TimeSpan.Zero ? options.RetryDelay : TimeSpan.FromSeconds(1);
        var factor = Math.Pow(2, Math.Min(attempts + 1, 20));
        return TimeSpan.FromTicks((long)Math.Min(MaxRetryDelay.Ticks, first.Ticks * factor));
    }
}
