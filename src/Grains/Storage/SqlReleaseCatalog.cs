using System.Text;
using System.Text.Json;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Releases;

namespace OrleansReleases.Grains.Storage;

/// <summary>
/// The release index, the history and the chat outbox as tables beside the grain state, in SQLite
/// or PostgreSQL: the SQL here is written to mean the same in both. Further outboxes join the
/// publishing transaction as <see cref="IPublicationWriter"/>s (the GitHub commit statuses).
/// </summary>
public sealed class SqlReleaseCatalog(IReleaseDatabase database, IEnumerable<IPublicationWriter>? writers = null) : IReleaseCatalog
{
    private readonly IReadOnlyList<IPublicationWriter> _writers = [.. writers ?? []];

    /// <summary>A history entry's changes are kept as JSON text (<c>[{"field":…,"before":…,"after":…}]</c>), NULL when none.</summary>
    private static readonly JsonSerializerOptions ChangesJson = new(JsonSerializerDefaults.Web);

    public async Task PublishAsync(ReleasePublication publication)
    {
        var (release, newEntries, notices, chatChannelId, storageVersion) = publication;
        await using var connection = database.Open();
        await using var transaction = await connection.BeginTransactionAsync();

        var summary = release.ToSummary();
        await using (var upsert = connection.CreateCommand())
        {
            // A row never goes back in time, whatever order two publishes arrive in.
            upsert.CommandText = """
                INSERT INTO release_index (id, source_branch, dest_branch, status, repo_count, commit_count, created_by,
                    created_at, dev_approved, qa_approved, search_text, version, storage_version)
                VALUES (@id, @source, @dest, @status, @repos, @commits, @createdBy, @createdAt, @dev, @qa, @search, @version, @storageVersion)
                ON CONFLICT (id) DO UPDATE SET
                    status = excluded.status, repo_count = excluded.repo_count, commit_count = excluded.commit_count,
                    dev_approved = excluded.dev_approved, qa_approved = excluded.qa_approved,
                    search_text = excluded.search_text, version = excluded.version, storage_version = excluded.storage_version
                WHERE excluded.storage_version >= release_index.storage_version;
                """;
            upsert.With("id", summary.Id);
            upsert.With("source", summary.SourceBranch);
            upsert.With("dest", summary.DestBranch);
            upsert.With("status", StatusText(summary.Status));
            upsert.With("repos", summary.RepoCount);
            upsert.With("commits", summary.CommitCount);
            upsert.With("createdBy", summary.CreatedBy);
            upsert.With("createdAt", StoredTime.ToText(summary.CreatedAt));
            upsert.With("dev", summary.DevApproved ? 1 : 0);
            upsert.With("qa", summary.QaApproved ? 1 : 0);
            upsert.With("search", SearchText(release));
            upsert.With("version", release.Version);
            upsert.With("storageVersion", storageVersion);
            await upsert.ExecuteNonQueryAsync();
        }

        foreach (var entry in newEntries)
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO release_history (release_id, version, at, actor, action, detail, actor_id, changes)
                VALUES (@id, @version, @at, @actor, @action, @detail, @actorId, @changes)
                ON CONFLICT DO NOTHING;
                """;
            insert.With("id", release.Id);
            insert.With("version", entry.Version);
            insert.With("at", StoredTime.ToText(entry.At));
            insert.With("actor", entry.Actor);
            insert.With("action", entry.Action);
            insert.With("detail", entry.Detail);
            insert.With("actorId", entry.ActorId);
            insert.With("changes", entry.Changes is { Count: > 0 } changes ? JsonSerializer.Serialize(changes, ChangesJson) : null);
            await insert.ExecuteNonQueryAsync();
        }

        foreach (var notice in notices)
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO chat_outbox (release_id, version, kind, detail, channel_id, created_at)
                VALUES (@id, @version, @kind, @detail, @channel, @createdAt)
                ON CONFLICT DO NOTHING;
                """;
            insert.With("id", release.Id);
            insert.With("version", notice.Version);
            insert.With("kind", notice.Kind.ToString());
            insert.With("detail", notice.Detail);
            insert.With("channel", chatChannelId);
            insert.With("createdAt", StoredTime.ToText(DateTime.UtcNow));
            await insert.ExecuteNonQueryAsync();
        }

        foreach (var writer in _writers)
        {
            await writer.WriteAsync(connection, publication);
        }

        await transaction.CommitAsync();
    }

    public async Task<ReleasePage> ListAsync(ReleaseQuery query, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        var where = new List<string>();
        if (query.Status is { } status)
        {
            where.Add("status = @status");
            command.With("status", StatusText(status));
        }

        if (!string.IsNullOrEmpty(query.SourceBranch))
        {
            where.Add("source_branch = @source");
            command.With("source", query.SourceBranch);
        }

        if (!string.IsNullOrEmpty(query.DestBranch))
        {
            where.Add("dest_branch = @dest");
            command.With("dest", query.DestBranch);
        }

        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            // The text fields, or a repo name: names matching in repo_names (a few thousand), then the
            // releases holding one through the gate rows' repo index (see SqlRepoNameIndex).
            where.Add(@"(search_text LIKE @search ESCAPE '\' OR id IN (SELECT g.release_id FROM release_gate g
                WHERE g.repo_key IN (SELECT n.name FROM repo_names n WHERE n.name LIKE @search ESCAPE '\')))");
            command.With("search", $"%{EscapeLike(query.Search.Trim().ToLowerInvariant())}%");
        }

        if (ReleaseCursor.TryParse(query.Cursor, out var after))
        {
            where.Add("(created_at < @afterAt OR (created_at = @afterAt AND id < @afterId))");
            command.With("afterAt", after.CreatedAt);
            command.With("afterId", after.Id);
        }

        command.CommandText = $"""
            SELECT id, source_branch, dest_branch, status, repo_count, commit_count, created_by, created_at, dev_approved, qa_approved
            FROM release_index
            {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")}
            ORDER BY created_at DESC, id DESC
            LIMIT @limit;
            """;
        // One row more than asked tells whether another page follows.
        command.With("limit", query.Limit + 1);

        var items = new List<ReleaseSummary>();
        var rawCreatedAt = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rawCreatedAt.Add(reader.GetString(7));
            items.Add(new ReleaseSummary(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), ParseStatus(reader.GetString(3)),
                Convert.ToInt32(reader.GetValue(4)), Convert.ToInt32(reader.GetValue(5)), reader.GetString(6), StoredTime.Parse(reader.GetString(7)),
                Convert.ToInt64(reader.GetValue(8)) != 0, Convert.ToInt64(reader.GetValue(9)) != 0));
        }

        if (items.Count <= query.Limit)
        {
            return new ReleasePage(items, null);
        }

        items.RemoveAt(items.Count - 1);
        var last = items[^1];
        return new ReleasePage(items, ReleaseCursor.Format(rawCreatedAt[items.Count - 1], last.Id));
    }

    public async Task<IReadOnlyList<HistoryEntry>> HistoryAsync(string releaseId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT version, at, actor, action, detail, actor_id, changes FROM release_history
            WHERE release_id = @id ORDER BY version;
            """;
        command.With("id", releaseId);
        var entries = new List<HistoryEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new HistoryEntry(reader.GetInt64(0), StoredTime.Parse(reader.GetString(1)), reader.GetString(2),
                reader.GetString(3), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5))
            {
                Changes = reader.IsDBNull(6) ? [] : JsonSerializer.Deserialize<List<FieldChange>>(reader.GetString(6), ChangesJson) ?? [],
            });
        }

        return entries;
    }

    public async Task<IReadOnlyList<string>> FindOpenByBranchAsync(string branch, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id FROM release_index
            WHERE status <> @deployed AND status <> @deploying AND (source_branch = @branch OR dest_branch = @branch)
            ORDER BY created_at, id;
            """;
        // A deploying release keeps what it ships: pushes (the deploy's own merges among them) do not refresh it.
        command.With("deployed", StatusText(ReleaseStatus.Deployed)).With("deploying", StatusText(ReleaseStatus.Deploying)).With("branch", branch);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public async Task<IReadOnlyList<string>> FindUnpublishedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT s.GrainIdExtensionString
            FROM OrleansStorage s
            LEFT JOIN release_index i ON i.id = s.GrainIdExtensionString
            WHERE s.ServiceId = @serviceId AND s.GrainTypeString = @stateName AND s.PayloadBinary IS NOT NULL
                AND (i.id IS NULL OR i.storage_version < s.Version);
            """;
        command.With("serviceId", StorageNames.ServiceId);
        command.With("stateName", StorageNames.ReleaseState);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>The text fields a search matches; repo names are matched through <c>repo_names</c> instead (39 KB a row at 3,000 repos).</summary>
    private static string SearchText(ReleaseView release) =>
        string.Join('\n', [release.Id, release.SourceBranch, release.DestBranch, release.CreatedBy, release.Notes]).ToLowerInvariant();

    private static string EscapeLike(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '%' or '_' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    private static string StatusText(ReleaseStatus status) => status.ToString().ToLowerInvariant();

    private static ReleaseStatus ParseStatus(string text) => Enum.Parse<ReleaseStatus>(text, ignoreCase: true);
}
