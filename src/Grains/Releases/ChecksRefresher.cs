using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Gate;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Grains.Releases;

/// <summary>A webhook said the checks of <see cref="Sha"/> in the GitHub repo <see cref="Repo"/> (its name in the organisation) changed.</summary>
public sealed record CommitChecksChanged(string Repo, string Sha);

/// <summary>
/// Takes in the checks of a commit after GitHub's <c>status</c>, <c>check_run</c> or
/// <c>check_suite</c> webhook, without comparing branches: it finds the open releases whose repo of
/// that name has that head commit (the gate index), reads the commit's checks once, and hands them
/// to each release (<see cref="IReleaseGrain.UpdateChecks"/>). In the background, so the webhook is
/// answered at once; events that arrive meanwhile are taken together, each commit read once.
/// </summary>
public sealed class ChecksRefresher(IReleaseDatabase database, RepoHistories histories, IGrainFactory grains, ILogger<ChecksRefresher> logger)
    : BackgroundService
{
    private readonly Channel<CommitChecksChanged> _events = Channel.CreateUnbounded<CommitChecksChanged>();
    private readonly OutstandingWork _outstanding = new();

    public void Enqueue(CommitChecksChanged change)
    {
        _outstanding.Add();
        _events.Writer.TryWrite(change);
    }

    /// <summary>Completes once every event received so far has been handled.</summary>
    public Task WhenIdleAsync() => _outstanding.WhenIdleAsync();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var first in _events.Reader.ReadAllAsync(stoppingToken))
        {
            var batch = new List<CommitChecksChanged> { first };
            while (_events.Reader.TryRead(out var more))
            {
                batch.Add(more);
            }

            try
            {
                foreach (var change in batch.Distinct())
                {
                    await UpdateAsync(change, stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Could not take in the checks of {Commits}", string.Join(", ", batch.Select(c => $"{c.Repo}@{c.Sha}")));
            }
            finally
            {
                _outstanding.Done(batch.Count);
            }
        }
    }

    private async Task UpdateAsync(CommitChecksChanged change, CancellationToken ct)
    {
        var holders = await FindOpenHoldersAsync(change, ct);
        if (holders.Count == 0 || histories.For(change.Repo, "github") is not { } found)
        {
            return;
        }

        var checks = await found.History.ReadChecksAsync(found.Name, change.Sha, ct);
        foreach (var (releaseId, repoName) in holders)
        {
            try
            {
                await grains.GetGrain<IReleaseGrain>(releaseId).UpdateChecks(BranchPushRefresher.Actor, repoName, change.Sha, checks);
            }
            catch (ReleaseRuleException ex)
            {
                logger.LogInformation("Release {ReleaseId} did not take the checks of {Repo}: {Reason}", releaseId, repoName, ex.Message);
            }
        }
    }

    /// <summary>Open releases with a repo of that name (bare, or github/NAME) whose head is the commit.</summary>
    private async Task<List<(string ReleaseId, string Repo)>> FindOpenHoldersAsync(CommitChecksChanged change, CancellationToken ct)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT g.release_id, g.repo FROM release_gate g
            JOIN release_index i ON i.id = g.release_id
            WHERE g.repo_key = @key AND g.sha = @sha AND i.status <> 'deployed';
            """;
        command.With("key", GateInput.RepoKey(change.Repo)).With("sha", change.Sha.ToLowerInvariant());
        var found = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var repo = reader.GetString(1);
            if (repo.Equals(change.Repo, StringComparison.OrdinalIgnoreCase) || repo.Equals($"github/{change.Repo}", StringComparison.OrdinalIgnoreCase))
            {
                found.Add((reader.GetString(0), repo));
            }
        }

        return found;
    }
}
