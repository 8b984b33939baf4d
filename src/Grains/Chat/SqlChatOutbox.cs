using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Grains.Chat;

/// <summary>The chat outbox as the <c>chat_outbox</c> table beside the release history (SQLite or PostgreSQL).</summary>
public sealed class SqlChatOutbox(IReleaseDatabase database) : IChatOutbox
{
    public async Task<IReadOnlyList<OutboxNotice>> PendingAsync(int max, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT release_id, version, kind, detail, channel_id, attempted_at FROM chat_outbox
            WHERE delivered_at IS NULL AND channel_id IS NOT NULL
            ORDER BY created_at, release_id, version
            LIMIT @max;
            """;
        command.With("max", max);
        var notices = new List<OutboxNotice>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            notices.Add(new OutboxNotice(reader.GetString(0), reader.GetInt64(1), Enum.Parse<NoticeKind>(reader.GetString(2)),
                reader.GetString(3), reader.GetString(4), reader.IsDBNull(5) ? null : StoredTime.Parse(reader.GetString(5))));
        }

        return notices;
    }

    public Task MarkAttemptedAsync(OutboxNotice notice, DateTime at, CancellationToken cancellationToken = default) =>
        UpdateAsync("UPDATE chat_outbox SET attempted_at = @at WHERE release_id = @id AND version = @version;", notice, at, null, cancellationToken);

    public Task MarkDeliveredAsync(OutboxNotice notice, string postId, DateTime at, CancellationToken cancellationToken = default) =>
        UpdateAsync("UPDATE chat_outbox SET delivered_at = @at, post_id = @post WHERE release_id = @id AND version = @version;", notice, at, postId, cancellationToken);

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
