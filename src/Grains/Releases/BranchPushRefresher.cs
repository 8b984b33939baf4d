using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Grains.Releases;

/// <summary>
/// Refreshes the open releases a push may have changed: in every release that compares the pushed
/// branch (as source or destination), the pushed repo alone is compared again
/// (<see cref="ReleaseService.RefreshReposAsync"/>: a few requests, not the whole organisation),
/// since the repo may also join or leave the release. New commits then dismiss stale approvals
/// without anyone pressing Refresh.
/// <para>
/// Works in the background, so the webhook is answered at once. Per release, one comparison runs
/// at a time: the first push waits <see cref="PushRefreshOptions.Window"/> for more, and pushes that
/// arrive meanwhile or while a comparison runs are taken together by the next one, each repo once.
/// <see cref="WhenIdleAsync"/> tells when everything received so far is done.
/// </para>
/// </summary>
public sealed class BranchPushRefresher(IReleaseCatalog catalog, ReleaseService releases, IOptions<PushRefreshOptions> options,
    TimeProvider clock, ILogger<BranchPushRefresher> logger)
    : BackgroundService
{
    /// <summary>The actor the history names for refreshes a webhook caused.</summary>
    public static Actor Actor { get; } = new("github-webhook", [], "service:github-webhook");

    /// <summary>The source pushes come from: the webhook is GitHub's.</summary>
    private const string PushSource = "github";

    private readonly Channel<BranchPush> _pushes = Channel.CreateUnbounded<BranchPush>();
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HashSet<string>> _pending = new(StringComparer.Ordinal);
    private readonly OutstandingWork _outstanding = new();
    private CancellationToken _stopping;

    public void Enqueue(BranchPush push)
    {
        _outstanding.Add();
        _pushes.Writer.TryWrite(push);
    }

    /// <summary>Completes once every push received so far has been handled.</summary>
    public Task WhenIdleAsync() => _outstanding.WhenIdleAsync();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        await foreach (var first in _pushes.Reader.ReadAllAsync(stoppingToken))
        {
            var batch = new List<BranchPush> { first };
            while (_pushes.Reader.TryRead(out var more))
            {
                batch.Add(more);
            }

            try
            {
                await QueueAsync(batch, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Could not refresh releases after pushes to {Branches}", string.Join(", ", batch.Select(p => p.Branch).Distinct()));
            }
            finally
            {
                _outstanding.Done(batch.Count);
            }
        }
    }

    /// <summary>Adds each pushed repo to the pending repos of every open release of its branch.</summary>
    private async Task QueueAsync(List<BranchPush> batch, CancellationToken ct)
    {
        foreach (var branch in batch.GroupBy(p => p.Branch, StringComparer.Ordinal))
        {
            var repos = branch.Select(p => RepoName(p.Repository)).Distinct(StringComparer.Ordinal).ToList();
            foreach (var id in await catalog.FindOpenByBranchAsync(branch.Key, ct))
            {
                bool start;
                lock (_lock)
                {
                    start = !_pending.TryGetValue(id, out var pending);
                    if (start)
                    {
                        _pending[id] = pending = new HashSet<string>(StringComparer.Ordinal);
                        _outstanding.Add(); // the release's worker: idle waits for it too
                    }

                    pending!.UnionWith(repos);
                }

                if (start)
                {
                    _ = RunAsync(id);
                }
            }
        }
    }

    /// <summary>One release's worker: waits the window, then compares the pending repos until none are left.</summary>
    private async Task RunAsync(string id)
    {
        try
        {
            if (options.Value.Window > TimeSpan.Zero)
            {
                await Task.Delay(options.Value.Window, clock, _stopping);
            }

            while (true)
            {
                string[] repos;
                lock (_lock)
                {
                    var pending = _pending[id];
                    if (pending.Count == 0)
                    {
                        _pending.Remove(id);
                        return;
                    }

                    repos = [.. pending.Order(StringComparer.Ordinal)];
                    pending.Clear();
                }

                await RefreshAsync(id, repos);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // stopping
        }
        finally
        {
            _outstanding.Done();
        }
    }

    private async Task RefreshAsync(string id, string[] repos)
    {
        try
        {
            var release = await releases.RefreshReposAsync(id, PushSource, repos, Actor, _stopping);
            logger.LogInformation("Compared {Repos} again in release {ReleaseId} after a push; now at version {Version}",
                string.Join(", ", repos), id, release?.Version);
        }
        catch (ReleaseRuleException ex)
        {
            // Deployed meanwhile, or gone: nothing to refresh.
            logger.LogInformation("Release {ReleaseId} was not refreshed after a push: {Reason}", id, ex.Message);
        }
        catch (Exception ex) when (!_stopping.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Could not refresh release {ReleaseId} after a push to {Repos}", id, string.Join(", ", repos));
        }
    }

    /// <summary>"owner/name" → "name".</summary>
    private static string RepoName(string repository) => repository[(repository.LastIndexOf('/') + 1)..];
}
