using System.Data.Common;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Grains.CommitStatuses;

/// <summary>
/// The commit-status outbox as tables beside the release index (SQLite or PostgreSQL; the SQL means
/// the same in both). As an <see cref="IPublicationWriter"/> it raises a release's row to the
/// version of each published change, in the transaction that publishes it: a crash between the
/// change and the call to GitHub leaves the row owed, and the sweep delivers it.
/// </summary>
public sealed class SqlCommitStatusOutbox(IReleaseDatabase database) : ICommitStatusOutbox, IPublicationWriter
{
    public async Task WriteAsync(DbConnection connection, ReleasePublication publication)
    {
        await using var upsert = connection.CreateCommand();
        // Never lowers the version, whatever order two publishes arrive in; a new version is tried at once.
        upsert.CommandText = """
            INSERT INTO commit_status_outbox (release_id, version, delivered_version, attempts)
            VALUES (@id, @version, 0, 0)
            ON CONFLICT (release_id) DO UPDATE SET version = excluded.version, next_attempt_at = NULL
            WHERE excluded.version > commit_status_outbox.version;
            """;
        upsert.With("id", publication.Release.Id).With("version", publication.Release.Version);
        await upsert.ExecuteNonQueryAsync();
    }

    public async Task<CommitStatusDebt?> GetAsync(string releaseId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, delivered_version, attempts FROM commit_status_outbox WHERE release_id = @id;";
        command.With("id", releaseId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new CommitStatusDebt(releaseId, Convert.ToInt64(reader.GetValue(0)), Convert.ToInt64(reader.GetValue(1)), Convert.ToInt32(reader.GetValue(2)))
            : null;
    }

    public async Task<IReadOnlyList<string>> DueAsync(DateTime now, int max, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT release_id FROM commit_status_outbox
            WHERE version > delivered_version AND (next_attempt_at IS NULL OR next_attempt_at <= @now)
            ORDER BY release_id
            LIMIT @max;
            """;
        command.With("now", StoredTime.ToText(now)).With("max", max);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public async Task MarkDeliveredAsync(string releaseId, long version, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO commit_status_outbox (release_id, version, delivered_version, attempts)
            VALUES (@id, @version, @version, 0)
            ON CONFLICT (release_id) DO UPDATE SET
                version = CASE WHEN excluded.version > commit_status_outbox.version THEN excluded.version ELSE commit_status_outbox.version END,
                delivered_version = CASE WHEN excluded.delivered_version > commit_status_outbox.delivered_version
                    THEN excluded.delivered_version ELSE commit_status_outbox.delivered_version END,
                attempts = 0, next_attempt_at = NULL, last_error = NULL;
            """;
        command.With("id", releaseId).With("version", version);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task MarkFailedAsync(string releaseId, long version, int attempts, DateTime nextAttemptAt, string error,
        CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO commit_status_outbox (release_id, version, delivered_version, attempts, next_attempt_at, last_error)
            VALUES (@id, @version, 0, @attempts, @next, @error)
            ON CONFLICT (release_id) DO UPDATE SET
                version = CASE WHEN excluded.version > commit_status_outbox.version THEN excluded.version ELSE commit_status_outbox.version END,
                attempts = excluded.attempts, next_attempt_at = excluded.next_attempt_at, last_error = excluded.last_error;
            """;
        command.With("id", releaseId).With("version", version).With("attempts", attempts)
            .With("next", StoredTime.ToText(nextAttemptAt)).With("error", error);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<DesiredStatus?> LastSentAsync(string ownerAndRepo, string sha, string context, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT state, description, target_url FROM commit_status_sent
            WHERE repo = @repo AND sha = @sha AND context = @context;
            """;
        command.With("repo", ownerAndRepo).With("sha", sha).With("context", context);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new DesiredStatus(ownerAndRepo, sha, context, reader.GetString(0), reader.GetString(1), reader.GetString(2))
            : null;
    }

    public async Task RecordSentAsync(string ownerAndRepo, DesiredStatus status, string releaseId, DateTime at,
        CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO commit_status_sent (repo, sha, context, state, description, target_url, release_id, sent_at)
            VALUES (@repo, @sha, @context, @state, @description, @url, @release, @at)
            ON CONFLICT (repo, sha, context) DO UPDATE SET state = excluded.state, description = excluded.description,
                target_url = excluded.target_url, release_id = excluded.release_id, sent_at = excluded.sent_at;
            """;
        command.With("repo", ownerAndRepo).With("sha", status.Sha).With("context", status.Context).With("state", status.State)
            .With("description", status.Description).With("url", status.TargetUrl).With("release", releaseId)
            .With("at", StoredTime.ToText(at));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
