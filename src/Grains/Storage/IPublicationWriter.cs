using System.Data.Common;

namespace OrleansReleases.Grains.Storage;

/// <summary>
/// Something more that a stored change of a release writes, in the same transaction as its index
/// row, history and chat notices (<see cref="SqlReleaseCatalog.PublishAsync"/>): an outbox row that
/// must exist exactly when the change does. Writing twice must be harmless, and a row must never go
/// back in time. Registered in the container; the catalog runs every one it is given.
/// </summary>
public interface IPublicationWriter
{
    /// <summary>Writes on <paramref name="connection"/>, whose transaction is open (commands join it).</summary>
    Task WriteAsync(DbConnection connection, ReleasePublication publication);
}
