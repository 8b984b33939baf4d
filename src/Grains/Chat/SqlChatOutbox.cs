using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Grains.Chat;

/// <summary>The chat outbox as the <c>chat_outbox</c> table beside the release history (SQLite or PostgreSQL).</summary>
public sealed class SqlChatOutbox(IReleaseDatabase database) : IChatOutbox
{
    public async Task<IReadOnlyList<OutboxNotice>> PendingAsync(int max, DateTime now, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT o.release_id, o.version, o.kind, o.detail, o.channel_id, o.attempted_at, COALESCE(a.attempts, 0)
            FROM chat_outbox o
            LEFT JOIN chat_outbox_attempts a ON a.release_id = o.release_id AND a.version = o.version
            WHERE o.delivered_at IS NULL AND o.channel_id IS NOT NULL
              AND a.failed_at IS NULL AND (a.next_attempt_at IS NULL OR a.next_attempt_at <= @now)
            ORDER BY o.created_at, o.release_id, o.version
            LIMIT @max;
            """;
        command.With("max", max);
        command.With("now", StoredTime.ToText(now));
        var notices = new List<OutboxNotice>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            notices.Add(new OutboxNotice(reader.GetString(0), reader.GetInt64(1), Enum.Parse<NoticeKind>(reader.GetString(2)),
                reader.GetString(3), reader.GetString(4), reader.IsDBNull(5) ? null : StoredTime.Parse(reader.GetString(5)),
                (int)reader.GetInt64(6)));
        }

        return notices;
    }

    public Task MarkAttemptedAsync(OutboxNotice notice, DateTime at, CancellationToken cancellationToken = default) =>
        UpdateAsync("UPDATE chat_outbox SET attempted_at = @at WHERE release_id = @id AND version = @version;", notice, at, null, cancellationToken);

    public Task MarkDeliveredAsync(OutboxNotice notice, string postId, DateTime at, CancellationToken cancellationToken = default) =>
        UpdateAsync("UPDATE chat_outbox SET delivered_at = @at, post_id = @post WHERE release_id = @id AND version = @version;", notice, at, postId, cancellationToken);

    public async Task MarkFailedAsync(OutboxNotice notice, int attempts, DateTime? nextAttemptAt, string error, DateTime at,
        CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO chat_outbox_attempts (release_id, version, attempts, next_attempt_at, failed_at, last_error)
            VALUES (@id, @version, @attempts, @next, @failed, @error)
            ON CONFLICT (release_id, version) DO UPDATE SET attempts = excluded.attempts,
                next_attempt_at = excluded.next_attempt_at, failed_at = excluded.failed_at, last_error = excluded.last_error;
            """;
        command.With("id", notice.ReleaseId);
        command.With("version", notice.Version);
        command.With("attempts", attempts);
        command.With("next", nextAttemptAt is { } next ? StoredTime.ToText(next) : null);
        command.With("failed", nextAttemptAt is null ? StoredTime.ToText(at) : null);
        command.With("error", error);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<long> FailedCountAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT count(*) FROM chat_outbox_attempts a
            JOIN chat_outbox o ON o.release_id = a.release_id AND o.version = a.version
            WHERE a.failed_at IS NOT NULL AND o.delivered_at IS NULL;
            """;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task UpdateAsync(string sql, OutboxNotice notice, DateTime at, string? postId, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.With("at", StoredTime.ToText(at));
        command.With("id", notice.ReleaseId);
        command.With("version", notice.Version);
        command.With("post", postId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
