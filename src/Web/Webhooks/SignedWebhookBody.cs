using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace OrleansReleases.Web.Webhooks;

/// <summary>
/// Reads a webhook body while checking GitHub's HMAC-SHA256 signature (<c>X-Hub-Signature-256</c>),
/// never past a limit: a Content-Length over it is refused before reading, a chunked body as soon
/// as it passes it (413). Nothing of the body is believed before the signature matches.
/// </summary>
public static class SignedWebhookBody
{
    private const string Prefix = "sha256=";

    /// <summary><c>sha256=</c> and 64 hex digits.</summary>
    public static bool IsWellFormed(string signature) =>
        signature.Length == Prefix.Length + 64 && signature.StartsWith(Prefix, StringComparison.Ordinal)
        && signature.AsSpan(Prefix.Length).ContainsAnyExcept("0123456789abcdefABCDEF") is false;

    /// <summary>The body when its signature matches, null when it does not; throws a 413 <see cref="BadHttpRequestException"/> past the limit.</summary>
    public static async Task<byte[]?> ReadAsync(HttpContext context, string secret, long maxBytes, string signature)
    {
        var request = context.Request;
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        using var body = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (body.Length + read > maxBytes)
            {
                throw TooLarge(maxBytes);
            }

            hmac.AppendData(chunk, 0, read);
            body.Write(chunk, 0, read);
        }

        var expected = Convert.FromHexString(signature.AsSpan(Prefix.Length));
        return CryptographicOperations.FixedTimeEquals(hmac.GetHashAndReset(), expected) ? body.ToArray() : null;
    }

    private static BadHttpRequestException TooLarge(long limit) =>
        new($"The webhook delivery is larger than {limit / 1024} KiB (Releases:GitHub:WebhookMaxBytes).", StatusCodes.Status413PayloadTooLarge);
}
