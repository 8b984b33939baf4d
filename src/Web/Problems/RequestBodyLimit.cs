using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OrleansReleases.Web.Problems;

/// <summary>
/// Refuses request bodies over 256 KiB with a 413 problem before any endpoint reads them: at once
/// from Content-Length, or, for a streamed body, as soon as it passes the limit. A streamed body
/// under the limit is buffered, so endpoints read it like any other. Bodies under <c>/webhooks</c>
/// are never buffered here: the webhook reads its body itself, checking the signature as it comes
/// and stopping at its own limit, and a webhook that is off answers 404 without reading it.
/// </summary>
public static class RequestBodyLimit
{
    public const long MaxBytes = 256 * 1024;

    public const long WebhookMaxBytes = 25 * 1024 * 1024;

    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            var limit = request.Path.StartsWithSegments("/webhooks") ? WebhookMaxBytes : MaxBytes;
            if (request.ContentLength > limit)
            {
                throw TooLarge(limit);
            }

            if (request.ContentLength is null && !request.Path.StartsWithSegments("/webhooks") && request.Body.CanRead && HttpMethods.IsGet(request.Method) is false)
            {
                var buffer = new MemoryStream();
                var chunk = new byte[16 * 1024];
                int read;
                while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
                {
                    if (buffer.Length + read > limit)
                    {
                        throw TooLarge(limit);
                    }

                    buffer.Write(chunk, 0, read);
                }

                buffer.Position = 0;
                request.Body = buffer;
                request.ContentLength = buffer.Length;
            }

            await next(context);
        });

    private static BadHttpRequestException TooLarge(long limit) =>
        new($"The request body is larger than {limit / 1024} KiB.", StatusCodes.Status413PayloadTooLarge);
}
