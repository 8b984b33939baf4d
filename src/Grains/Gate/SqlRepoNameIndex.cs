using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Grains.Gate;

/// <summary>
/// Keeps <c>repo_names</c>, the distinct repo names of every release, for the list's search by repo
/// name (<see cref="SqlReleaseCatalog.ListAsync"/>): the gate's <c>release_gate</c> rows say which
/// release holds which repo (brought up to date with each publication, so a repo a refresh removed no
/// longer matches), and this adds the names (<see cref="GateInput.RepoKey"/>) the published release
/// uses, in the same transaction. Names are never removed (a name no release holds any more simply
/// matches no release), so the names this process has seen stored are remembered and not asked
/// about again: a publication of known names writes nothing; new ones are looked up and the missing
/// ones inserted <see cref="SqlGateIndex.ChunkRows"/> to a statement.
/// </summary>
public sealed class SqlRepoNameIndex : IPublicationWriter
{
    /// <summary>Names read back from <c>repo_names</c>, hence committed (a name only this transaction wrote is not remembered: it may roll back).</summary>
    private readonly ConcurrentDictionary<string, bool> _stored = new(StringComparer.Ordinal);

    public async Task WriteAsync(DbConnection connection, ReleasePublication publication)
    {
        var names = publication.Release.Repos.Select(r => GateInput.RepoKey(r.Name)).Where(n => !_stored.ContainsKey(n))
            .Distinct(StringComparer.Ordinal).ToList();
        foreach (var chunk in names.Chunk(SqlGateIndex.ChunkRows))
        {
            var missing = new HashSet<string>(chunk, StringComparer.Ordinal);
            await using (var read = connection.CreateCommand())
            {
                read.CommandText = $"SELECT name FROM repo_names WHERE name IN ({Parameters(read, chunk)});";
                await using var reader = await read.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    var name = reader.GetString(0);
                    missing.Remove(name);
                    _stored.TryAdd(name, true);
                }
            }

            if (missing.Count == 0)
            {
                continue;
            }

            await using var insert = connection.CreateCommand();
            var values = new StringBuilder();
            var i = 0;
            foreach (var name in missing)
            {
                values.Append(i == 0 ? "" : ",").Append($"(@n{i})");
                insert.With($"n{i++}", name);
            }

            insert.CommandText = $"INSERT INTO repo_names (name) VALUES {values} ON CONFLICT DO NOTHING;";
            await insert.ExecuteNonQueryAsync();
        }
    }

    private static string Parameters(DbCommand command, string[] values)
    {
        var list = new StringBuilder();
        for (var i = 0; i < values.Length; i++)
        {
            list.Append(i == 0 ? "@n0" : $",@n{i}");
            command.With($"n{i}", values[i]);
        }

        return list.ToString();
    }
}
