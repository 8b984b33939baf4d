using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics.Metrics;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Grains.Metrics;

/// <summary>
/// The service's own instruments, all on the meter <c>OrleansReleases</c> (see README, "Metrics"):
/// releases by status, approvals given and dismissed, comparisons (count, duration, repos), GitHub
/// requests and the remaining rate limit by resource, the chat and commit-status outbox backlogs, and
/// live connections. Approvals are counted from the history entries each change publishes (it is an
/// <see cref="IPublicationWriter"/>); the gauges read the database at most every few seconds.
/// </summary>
public sealed class ReleasesMetrics : IPublicationWriter, IDisposable
{
    public const string MeterName = "OrleansReleases";

    private static readonly TimeSpan GaugeAge = TimeSpan.FromSeconds(5);

    private readonly IReleaseDatabase _database;
    private readonly Meter _meter;
    private readonly Counter<long> _approvalsGiven;
    private readonly Counter<long> _approvalsDismissed;
    private readonly Counter<long> _comparisons;
    private readonly Histogram<double> _comparisonDuration;
    private readonly Histogram<long> _comparisonRepos;
    private readonly Counter<long> _gitHubRequests;
    private readonly UpDownCounter<long> _connections;
    private readonly ConcurrentDictionary<string, long> _rateLimitRemaining = new(StringComparer.Ordinal);
    private readonly Lock _gaugeLock = new();
    private (DateTime At, IReadOnlyList<Measurement<long>> Statuses, IReadOnlyList<Measurement<long>> Outboxes)? _gauges;

    public ReleasesMetrics(IMeterFactory meters, IReleaseDatabase database)
    {
        _database = database;
        _meter = meters.Create(MeterName);
        _meter.CreateObservableGauge("releases.releases", () => Gauges().Statuses, "{release}", "Releases by status (label status).");
        _approvalsGiven = _meter.CreateCounter<long>("releases.approvals.given", "{approval}", "Approvals given (label kind: dev, qa).");
        _approvalsDismissed = _meter.CreateCounter<long>("releases.approvals.dismissed", "{dismissal}", "Changes that dismissed a release's approvals.");
        _comparisons = _meter.CreateCounter<long>("releases.comparisons", "{comparison}", "Comparisons of a release's branches over every source.");
        _comparisonDuration = _meter.CreateHistogram<double>("releases.comparison.duration", "s", "How long a comparison of the branches took.");
        _comparisonRepos = _meter.CreateHistogram<long>("releases.comparison.repos", "{repo}", "Repos that differed in a comparison.");
        _gitHubRequests = _meter.CreateCounter<long>("releases.github.requests", "{request}", "Answers from GitHub (labels resource, status).");
        _meter.CreateObservableGauge("releases.github.rate_limit.remaining", RateLimits, "{request}", "GitHub's x-ratelimit-remaining, last seen (label resource).");
        _meter.CreateObservableGauge("releases.outbox.backlog", () => Gauges().Outboxes, "{item}", "Outbox items not delivered yet (label outbox: chat, statuses).");
        _connections = _meter.CreateUpDownCounter<long>("releases.hub.connections", "{connection}", "Live SignalR connections of the dashboard on this node.");
    }

    public void ComparisonDone(TimeSpan duration, int repos)
    {
        _comparisons.Add(1);
        _comparisonDuration.Record(duration.TotalSeconds);
        _comparisonRepos.Record(repos);
    }

    /// <summary>An answer from GitHub: its rate-limit window (<c>x-ratelimit-resource</c>), status and remaining requests.</summary>
    public void GitHubAnswered(string? resource, int status, long? remaining)
    {
        var window = string.IsNullOrEmpty(resource) ? "unknown" : resource;
        _gitHubRequests.Add(1, new KeyValuePair<string, object?>("resource", window), new KeyValuePair<string, object?>("status", status));
        if (remaining is { } left)
        {
            _rateLimitRemaining[window] = left;
        }
    }

    public void ConnectionOpened() => _connections.Add(1);

    public void ConnectionClosed() => _connections.Add(-1);

    public Task WriteAsync(DbConnection connection, ReleasePublication publication)
    {
        foreach (var entry in publication.History)
        {
            if (entry.Action.StartsWith("approved-", StringComparison.Ordinal))
            {
                _approvalsGiven.Add(1, new KeyValuePair<string, object?>("kind", entry.Action["approved-".Length..]));
            }

            if (entry.Detail.Contains("approvals dismissed", StringComparison.Ordinal))
            {
                _approvalsDismissed.Add(1);
            }
        }

        return Task.CompletedTask;
    }

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> RateLimits() =>
        _rateLimitRemaining.Select(pair => new Measurement<long>(pair.Value, new KeyValuePair<string, object?>("resource", pair.Key)));

    private (IReadOnlyList<Measurement<long>> Statuses, IReadOnlyList<Measurement<long>> Outboxes) Gauges()
    {
        lock (_gaugeLock)
        {
            if (_gauges is { } cached && DateTime.UtcNow - cached.At < GaugeAge)
            {
                return (cached.Statuses, cached.Outboxes);
            }

            var statuses = new List<Measurement<long>>();
            var outboxes = new List<Measurement<long>>();
            try
            {
                using var connection = _database.Open();
                var counts = new Dictionary<string, long>(StringComparer.Ordinal) { ["pending"] = 0, ["approved"] = 0, ["deploying"] = 0, ["deployed"] = 0 };
                using (var command = connection.CreateCommand())
                {
                    command.CommandText = "SELECT status, count(*) FROM release_index GROUP BY status;";
                    using var reader = command.ExecuteReader();
                    while (reader.Read())
                    {
                        counts[reader.GetString(0)] = Convert.ToInt64(reader.GetValue(1));
                    }
                }

                statuses.AddRange(counts.Select(c => new Measurement<long>(c.Value, new KeyValuePair<string, object?>("status", c.Key))));
                outboxes.Add(new Measurement<long>(Count(connection, "SELECT count(*) FROM chat_outbox WHERE delivered_at IS NULL AND channel_id IS NOT NULL;"),
                    new KeyValuePair<string, object?>("outbox", "chat")));
                outboxes.Add(new Measurement<long>(Count(connection, "SELECT count(*) FROM commit_status_outbox WHERE version > delivered_version;"),
                    new KeyValuePair<string, object?>("outbox", "statuses")));
            }
            catch (DbException)
            {
                // The database does not answer: /readyz says so; the gauges stay silent this time.
            }

            _gauges = (DateTime.UtcNow, statuses, outboxes);
            return (statuses, outboxes);
        }
    }

    private static long Count(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar());
    }
}
