using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using OrleansReleases.Grains.Storage;
using OrleansReleases.Tests.Support;
using OrleansReleases.Web.Webhooks;

namespace OrleansReleases.Tests.GitHub;

/// <summary>The webhook's memory of deliveries, on both databases (so every silo of a cluster agrees).</summary>
[Trait("Category", "Slow")] // starts PostgreSQL
public sealed class WebhookDeliveryLogTests : IDisposable
{
    private readonly TestDatabases _databases = new();
    private readonly ManualClock _clock = new();

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_delivery_is_fresh_once_per_id_and_body_for_a_day(string kind)
    {
        var database = _databases.Open(kind);
        var log = new WebhookDeliveryLog(database, _clock, Options.Create(new GitHubWebhookOptions()));
        var silo2 = new WebhookDeliveryLog(database, _clock, Options.Create(new GitHubWebhookOptions()));
        var body = Encoding.UTF8.GetBytes("""{"ref":"refs/heads/uat"}""");

        Assert.True(await log.TryRecordAsync("d-1", body, CancellationToken.None));
        Assert.False(await silo2.TryRecordAsync("d-1", body, CancellationToken.None)); // the same delivery at another silo
        Assert.False(await log.TryRecordAsync("d-2", body, CancellationToken.None)); // the same body under a new id
        Assert.True(await log.TryRecordAsync("d-3", Encoding.UTF8.GetBytes("{}"), CancellationToken.None));

        _clock.Advance(TimeSpan.FromDays(1.5));
        Assert.True(await log.TryRecordAsync("d-1", body, CancellationToken.None)); // forgotten after the window
    }

    public void Dispose() => _databases.Dispose();

}
