using System.Data.Common;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Grains.Gate;

/// <summary>
/// Keeps <c>repo_names</c>, the distinct repo names of every release, for the list's search by repo
/// name (<see cref="SqlReleaseCatalog.ListAsync"/>): the gate's <c>release_gate</c> rows already say
/// which release holds which repo (replaced with each publication, so a repo a refresh removed no
/// longer matches), and this adds the names they use, in the same transaction. Runs after
/// <see cref="SqlGateIndex"/> (registered after it); one statement per publication. Names are never
/// removed: a name no release holds any more simply matches no release.
/// </summary>
public sealed class SqlRepoNameIndex : IPublicationWriter
{
    public async Task WriteAsync(DbConnection connection, ReleasePublication publication)
    {
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO repo_names (name)
            SELECT DISTINCT repo_key FROM release_gate WHERE release_id = @id
            ON CONFLICT DO NOTHING;
            """;
        insert.With("id", publication.Release.Id);
        await insert.ExecuteNonQueryAsync();
    }
}
