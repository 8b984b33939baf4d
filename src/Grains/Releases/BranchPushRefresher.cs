using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Grains.Releases;

/// <summary>
/// Refreshes the open releases a push may have changed: every release that compares the pushed
/// branch (as source or destination), whichever repo it was in, since the repo may join the
/// release too. New commits then dismiss stale approvals without anyone pressing Refresh.
/// <para>
/// Works in the background, so the webhook is answered at once. Pushes that arrive while a
/// refresh runs are taken together, and each release they touch is refreshed once.
/// <see cref="WhenIdleAsync"/> tells when everything received so far is done.
/// </para>
/// </summary>
public sealed class BranchPushRefresher(IReleaseCatalog catalog, ReleaseService releases, ILogger<BranchPushRefresher> logger)
    : BackgroundService
{
    /// <summary>The actor the history names for refreshes a webhook caused.</summary>
    public static Actor Actor { get; } = new("github-webhook", [], "service:github-webhook");

    private readonly Channel<BranchPush> _pushes = Channel.CreateUnbounded<BranchPush>();
    private readonly Lock _lock = new();
    private int _outstanding;
    private TaskCompletionSource? _idle;

    public void Enqueue(BranchPush push)
    {
        lock (_lock)
        {
            _outstanding++;
        }

        _pushes.Writer.TryWrite(push);
    }

    /// <summary>Completes once every push received so far has been handled.</summary>
    public Task WhenIdleAsync()
    {
        lock (_lock)
        {
            if (_outstanding == 0)
            {
                return Task.CompletedTask;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var first in _pushes.Reader.ReadAllAsync(stoppingToken))
        {
            var batch = new List<BranchPush> { first };
            while (_pushes.Reader.TryRead(out var more))
            {
                batch.Add(more);
            }

            try
            {
                await RefreshAsync(batch, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Could not refresh releases after pushes to {Branches}", string.Join(", ", batch.Select(p => p.Branch).Distinct()));
            }
            finally
            {
                Done(batch.Count);
            }
        }
    }

    private async Task RefreshAsync(List<BranchPush> batch, CancellationToken ct)
    {
        var ids = new List<string>();
        foreach (var branch in batch.Select(p => p.Branch).Distinct(StringComparer.Ordinal))
        {
            ids.AddRange(await catalog.FindOpenByBranchAsync(branch, ct));
        }

        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            try
            {
                var release = await releases.RefreshAsync(id, Actor, cancellationToken: ct);
                logger.LogInformation("Refreshed release {ReleaseId} after a push to {Pushes}; now at version {Version}",
                    id, string.Join(", ", batch.Select(p => $"{p.Repository}@{p.Branch}").Distinct()), release.Version);
            }
            catch (ReleaseRuleException ex)
            {
                // Deployed meanwhile, or gone: nothing to refresh.
                logger.LogInformation("Release {ReleaseId} was not refreshed after a push: {Reason}", id, ex.Message);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Could not refresh release {ReleaseId} after a push", id);
            }
        }
    }

    private void Done(int count)
    {
        lock (_lock)
        {
            _outstanding -= count;
            if (_outstanding == 0 && _idle is { } idle)
            {
                _idle = null;
                idle.TrySetResult();
            }
        }
    }
}
