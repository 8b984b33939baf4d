using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using OrleansReleases.Grains.Storage;

namespace OrleansReleases.Web.Webhooks;

/// <summary>
/// The deliveries the webhook acted on, in the database (so every silo agrees): each delivery's
/// <c>X-GitHub-Delivery</c> id and the SHA-256 of its signed body, kept for
/// <see cref="GitHubWebhookOptions.WebhookReplayWindow"/>. The signature covers the body only, so a
/// captured delivery sent again, under its own id or a new one, is recognised and ignored.
/// </summary>
public sealed class WebhookDeliveryLog(IReleaseDatabase database, TimeProvider clock, IOptions<GitHubWebhookOptions> options)
{
    /// <summary>Records the delivery; false when its id or its body was already received within the window.</summary>
    public async Task<bool> TryRecordAsync(string deliveryId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var connection = database.Open();
        await using (var prune = connection.CreateCommand())
        {
            prune.CommandText = "DELETE FROM webhook_delivery WHERE received_at < @cutoff;";
            prune.With("cutoff", StoredTime.ToText(now - options.Value.WebhookReplayWindow));
            await prune.ExecuteNonQueryAsync(cancellationToken);
        }

        var fresh = true;
        foreach (var key in new[] { $"id:{deliveryId}", $"sha256:{Convert.ToHexStringLower(SHA256.HashData(body.Span))}" })
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO webhook_delivery (delivery_key, received_at) VALUES (@key, @at) ON CONFLICT (delivery_key) DO NOTHING;";
            insert.With("key", key).With("at", StoredTime.ToText(now));
            fresh &= await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
        }

        return fresh;
    }

    /// <summary>Forgets a delivery that was refused after it was recorded, so GitHub's redelivery of it is acted on.</summary>
    public async Task ForgetAsync(string deliveryId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM webhook_delivery WHERE delivery_key IN (@id, @body);";
        delete.With("id", $"id:{deliveryId}").With("body", $"sha256:{Convert.ToHexStringLower(SHA256.HashData(body.Span))}");
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }
}
