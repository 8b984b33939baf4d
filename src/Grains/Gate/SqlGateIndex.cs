using System.Data.Common;
using System.Text;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Grains.Gate;

/// <summary>
/// The gate index (<c>release_gate</c>): one row per repo of each release, with the release's
/// destination branch, the repo's head commit and whether the team excluded it, so the gate answers
/// from one indexed query instead of loading releases. As an <see cref="IPublicationWriter"/> it
/// brings a release's rows up to date in the transaction that publishes each change: it reads the
/// rows stored, deletes those of repos the release no longer holds and writes only new or changed
/// rows, <see cref="ChunkRows"/> to a statement (a first publication of 3,000 repos: 6 statements; an
/// approval: none). <c>release_gate_version</c> remembers the storage version the rows come from, so a
/// late publish never puts older rows back, and a release without it (stored before the gate existed)
/// is filled at start-up (<see cref="GateIndexFill"/>). SQLite or PostgreSQL: the SQL means the same in both.
/// </summary>
public sealed class SqlGateIndex(IReleaseDatabase database) : IPublicationWriter
{
    /// <summary>Rows per multi-row statement: 4 parameters a row, far below SQLite's 32,766 and PostgreSQL's 65,535.</summary>
    public const int ChunkRows = 500;

    private readonly record struct GateRow(string Key, string Dest, string Sha, bool Excluded);

    public async Task WriteAsync(DbConnection connection, ReleasePublication publication)
    {
        var release = publication.Release;
        await using (var version = connection.CreateCommand())
        {
            version.CommandText = "SELECT storage_version FROM release_gate_version WHERE release_id = @id;";
            version.With("id", release.Id);
            var stored = await version.ExecuteScalarAsync();
            if (stored is not null and not DBNull && Convert.ToInt64(stored) > publication.StorageVersion)
            {
                return; // a newer change has written its rows already
            }
        }

        // The rows the release means now (a name twice: the first, as the primary key allows one).
        var wanted = new Dictionary<string, GateRow>(release.Repos.Count, StringComparer.Ordinal);
        foreach (var repo in release.Repos)
        {
            wanted.TryAdd(repo.Name, new GateRow(GateInput.RepoKey(repo.Name), release.DestBranch, repo.HeadSha.ToLowerInvariant(), repo.Excluded));
        }

        var stale = new List<string>();
        var unchanged = new HashSet<string>(StringComparer.Ordinal);
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT repo, repo_key, dest_branch, sha, is_excluded FROM release_gate WHERE release_id = @id;";
            read.With("id", release.Id);
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var repo = reader.GetString(0);
                var row = new GateRow(reader.GetString(1), reader.GetString(2), reader.GetString(3), Convert.ToInt64(reader.GetValue(4)) != 0);
                if (!wanted.TryGetValue(repo, out var now))
                {
                    stale.Add(repo);
                }
                else if (now == row)
                {
                    unchanged.Add(repo);
                }
            }
        }

        foreach (var chunk in stale.Chunk(ChunkRows))
        {
            await using var delete = connection.CreateCommand();
            var sql = new StringBuilder("DELETE FROM release_gate WHERE release_id = @id AND repo IN (");
            delete.With("id", release.Id);
            for (var i = 0; i < chunk.Length; i++)
            {
                sql.Append(i == 0 ? "@r0" : $",@r{i}");
                delete.With($"r{i}", chunk[i]);
            }

            delete.CommandText = sql.Append(");").ToString();
            await delete.ExecuteNonQueryAsync();
        }

        foreach (var chunk in wanted.Where(r => !unchanged.Contains(r.Key)).Chunk(ChunkRows))
        {
            await using var upsert = connection.CreateCommand();
            var sql = new StringBuilder("INSERT INTO release_gate (release_id, repo, repo_key, dest_branch, sha, is_excluded) VALUES ");
            upsert.With("id", release.Id).With("dest", release.DestBranch);
            for (var i = 0; i < chunk.Length; i++)
            {
                var (name, row) = chunk[i];
                sql.Append(i == 0 ? "" : ",").Append($"(@id,@n{i},@k{i},@dest,@s{i},@x{i})");
                upsert.With($"n{i}", name).With($"k{i}", row.Key).With($"s{i}", row.Sha).With($"x{i}", row.Excluded ? 1 : 0);
            }

            upsert.CommandText = sql.Append("""

                ON CONFLICT (release_id, repo) DO UPDATE SET
                    repo_key = excluded.repo_key, dest_branch = excluded.dest_branch, sha = excluded.sha, is_excluded = excluded.is_excluded;
                """).ToString();
            await upsert.ExecuteNonQueryAsync();
        }

        await using (var upsert = connection.CreateCommand())
        {
            upsert.CommandText = """
                INSERT INTO release_gate_version (release_id, storage_version) VALUES (@id, @version)
                ON CONFLICT (release_id) DO UPDATE SET storage_version = excluded.storage_version;
                """;
            upsert.With("id", release.Id).With("version", publication.StorageVersion);
            await upsert.ExecuteNonQueryAsync();
        }
    }

    /// <summary>
    /// Every row of the repo asked about (see <see cref="GateInput.Matches"/>) in releases into
    /// <paramref name="destBranch"/>, with each release's created time, status and approvals from the
    /// release index, newest release first.
    /// </summary>
    public async Task<IReadOnlyList<GateCandidate>> FindAsync(string destBranch, string repo, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT g.release_id, i.created_at, i.status, i.dev_approved, i.qa_approved, g.repo, g.sha, g.is_excluded
            FROM release_gate g
            JOIN release_index i ON i.id = g.release_id
            WHERE g.dest_branch = @dest AND g.repo_key = @key
            ORDER BY i.created_at DESC, g.release_id DESC;
            """;
        command.With("dest", destBranch).With("key", GateInput.RepoKey(repo));
        var rows = new List<GateCandidate>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var held = reader.GetString(5);
            if (!GateInput.Matches(repo, held))
            {
                continue;
            }

            rows.Add(new GateCandidate(
                reader.GetString(0), StoredTime.Parse(reader.GetString(1)), Enum.Parse<ReleaseStatus>(reader.GetString(2), ignoreCase: true),
                Convert.ToInt64(reader.GetValue(3)) != 0, Convert.ToInt64(reader.GetValue(4)) != 0,
                held, reader.GetString(6), Convert.ToInt64(reader.GetValue(7)) != 0));
        }

        return rows;
    }

    /// <summary>Releases in the release index that the gate index has never seen (stored before it existed).</summary>
    public async Task<IReadOnlyList<string>> FindMissingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT i.id FROM release_index i
            LEFT JOIN release_gate_version v ON v.release_id = i.id
            WHERE v.release_id IS NULL
            ORDER BY i.created_at, i.id;
            """;
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>The rows of one release as its grain holds it now (to check an index answer against the release itself).</summary>
    public static IEnumerable<GateCandidate> CandidatesOf(ReleaseView release, string repo) =>
        release.Repos
            .Where(r => GateInput.Matches(repo, r.Name))
            .Select(r => new GateCandidate(release.Id, release.CreatedAt, release.Status, release.DevApproval is not null,
                release.QaApproval is not null, r.Name, r.HeadSha.ToLowerInvariant(), r.Excluded, r.Stale));
}
