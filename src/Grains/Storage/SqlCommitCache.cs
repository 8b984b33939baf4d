using System.Text.Json;
using OrleansReleases.Grains.Sources;

namespace OrleansReleases.Grains.Storage;

/// <summary>
/// The commit lists read between two commits (<c>repo_commits</c>): immutable once read, so kept
/// forever and read before asking the source. SQLite or PostgreSQL.
/// </summary>
public sealed class SqlCommitCache(IReleaseDatabase database)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<CommitList?> GetAsync(string source, string repo, string baseSha, string headSha, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT total, commits FROM repo_commits WHERE source = @source AND repo = @repo AND base_sha = @base AND head_sha = @head;";
        command.With("source", source).With("repo", repo).With("base", baseSha.ToLowerInvariant()).With("head", headSha.ToLowerInvariant());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var commits = JsonSerializer.Deserialize<List<CommitEntry>>(reader.GetString(1), Json) ?? [];
        return new CommitList(Convert.ToInt32(reader.GetValue(0)), commits);
    }

    public async Task PutAsync(string source, string repo, string baseSha, string headSha, CommitList list, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO repo_commits (source, repo, base_sha, head_sha, total, commits, read_at)
            VALUES (@source, @repo, @base, @head, @total, @commits, @at)
            ON CONFLICT (source, repo, base_sha, head_sha) DO NOTHING;
            """;
        command.With("source", source).With("repo", repo).With("base", baseSha.ToLowerInvariant()).With("head", headSha.ToLowerInvariant())
            .With("total", list.Total).With("commits", JsonSerializer.Serialize(list.Commits, Json)).With("at", StoredTime.ToText(DateTime.UtcNow));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
