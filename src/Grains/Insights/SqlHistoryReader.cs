using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.Json;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Grains.Insights;

/// <summary>A history entry with its release: one line of <c>GET /api/audit</c>.</summary>
public sealed record AuditEntry(
    string ReleaseId,
    long Version,
    DateTime At,
    string Actor,
    string? ActorId,
    string Action,
    string Detail,
    IReadOnlyList<FieldChange> Changes);

/// <summary>A release's index facts and whole history, as the insights read them.</summary>
public sealed record ReleaseHistory(string Id, string DestBranch, DateTime CreatedAt, ReleaseStatus Status, IReadOnlyList<HistoryEntry> History);

/// <summary>
/// Reads the history table across releases (SQLite or PostgreSQL): for the insights, the releases that
/// changed in a range with their whole history; for the audit, every entry in a range, streamed.
/// </summary>
public sealed class SqlHistoryReader(IReleaseDatabase database)
{
    private static readonly JsonSerializerOptions ChangesJson = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Every release into <paramref name="dest"/> (any when null) with a history entry between
    /// <paramref name="start"/> and <paramref name="end"/>, with its whole history, oldest first.
    /// </summary>
    public async Task<IReadOnlyList<ReleaseHistory>> ReleasesChangedAsync(string? dest, DateTime start, DateTime end, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT i.id, i.dest_branch, i.created_at, i.status, h.version, h.at, h.actor, h.action, h.detail, h.actor_id, h.changes
            FROM release_index i JOIN release_history h ON h.release_id = i.id
            WHERE i.id IN (SELECT DISTINCT c.release_id FROM release_history c WHERE c.at >= @start AND c.at < @end)
            {(dest is null ? "" : "AND i.dest_branch = @dest")}
            ORDER BY i.id, h.version;
            """;
        command.With("start", StoredTime.ToText(start)).With("end", StoredTime.ToText(end));
        if (dest is not null)
        {
            command.With("dest", dest);
        }

        var releases = new List<ReleaseHistory>();
        List<HistoryEntry>? entries = null;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetString(0);
            if (releases.Count == 0 || releases[^1].Id != id)
            {
                entries = [];
                releases.Add(new ReleaseHistory(id, reader.GetString(1), StoredTime.Parse(reader.GetString(2)),
                    Enum.Parse<ReleaseStatus>(reader.GetString(3), ignoreCase: true), entries));
            }

            entries!.Add(EntryAt(reader, 4));
        }

        return releases;
    }

    /// <summary>
    /// Every history entry of every release whose time is in [<paramref name="start"/>, <paramref name="end"/>),
    /// oldest first (then by release and version), read row by row from the database.
    /// </summary>
    public async IAsyncEnumerable<AuditEntry> AuditAsync(DateTime start, DateTime end, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT release_id, version, at, actor, action, detail, actor_id, changes FROM release_history
            WHERE at >= @start AND at < @end
            ORDER BY at, release_id, version;
            """;
        command.With("start", StoredTime.ToText(start)).With("end", StoredTime.ToText(end));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var entry = EntryAt(reader, 1);
            yield return new AuditEntry(reader.GetString(0), entry.Version, entry.At, entry.Actor, entry.ActorId, entry.Action, entry.Detail, entry.Changes);
        }
    }

    /// <summary>The entry whose columns (version, at, actor, action, detail, actor_id, changes) start at <paramref name="first"/>.</summary>
    private static HistoryEntry EntryAt(DbDataReader reader, int first) =>
        new(Convert.ToInt64(reader.GetValue(first)), StoredTime.Parse(reader.GetString(first + 1)), reader.GetString(first + 2),
            reader.GetString(first + 3), reader.GetString(first + 4), reader.IsDBNull(first + 5) ? null : reader.GetString(first + 5))
        {
            Changes = reader.IsDBNull(first + 6) ? [] : JsonSerializer.Deserialize<List<FieldChange>>(reader.GetString(first + 6), ChangesJson) ?? [],
        };
}
