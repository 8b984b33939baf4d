using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace OrleansReleases.Grains.Sources.GitHub;

/// <summary>
/// What GitHub last said about the token's REST rate limit (<c>x-ratelimit-remaining</c>,
/// <c>x-ratelimit-reset</c>) and any pause it asked for (<c>retry-after</c>, a secondary limit),
/// shared by every request of the process. From it comes how long the next request should wait,
/// so the service slows down before GitHub refuses rather than after.
/// </summary>
public sealed class GitHubRateLimit(TimeProvider clock)
{
    /// <summary>Below this share of the limit, requests are spread out so the rest lasts until the reset.</summary>
    public const double SlowDownShare = 0.1;

    /// <summary>How long to pause after a secondary rate limit that names no <c>retry-after</c> (GitHub's advice: a minute).</summary>
    public static readonly TimeSpan SecondaryLimitPause = TimeSpan.FromSeconds(60);

    private readonly Lock _lock = new();
    private int? _limit;
    private int? _remaining;
    private DateTimeOffset _reset;
    private DateTimeOffset _pausedUntil;
    private DateTimeOffset _nextPacedSend;

    /// <summary>Requests GitHub answered with 304 Not Modified, which cost no rate limit.</summary>
    public long NotModified => Interlocked.Read(ref _notModified);

    private long _notModified;

    /// <summary>The last known remaining requests of the window, or null before the first answer.</summary>
    public int? Remaining
    {
        get
        {
            lock (_lock)
            {
                return _remaining;
            }
        }
    }

    /// <summary>
    /// How long to wait before sending the next request: until a pause GitHub asked for is over;
    /// until the reset when the window is used up; a share of the time to the reset when little
    /// is left; otherwise not at all. Counts the request as sent.
    /// </summary>
    public TimeSpan TakeDelay()
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            var delay = TimeSpan.Zero;
            if (_pausedUntil > now)
            {
                delay = _pausedUntil - now;
            }
            else if (_remaining is { } remaining && _limit is { } limit && _reset > now)
            {
                if (remaining <= 0)
                {
                    delay = _reset - now;
                }
                else if (remaining < limit * SlowDownShare)
                {
                    // One request per interval, in turn: concurrent requests must not all wait the
                    // same interval and then go together.
                    var interval = (_reset - now) / remaining;
                    var at = _nextPacedSend > now ? _nextPacedSend : now;
                    _nextPacedSend = at + interval;
                    delay = at - now;
                }

                _remaining = remaining - 1;
            }

            return delay;
        }
    }

    /// <summary>Takes in the headers of an answer: the window's state, and any pause asked for.</summary>
    public void Observe(HttpResponseMessage response)
    {
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            Interlocked.Increment(ref _notModified);
        }

        var headers = response.Headers;
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            // Only the core (REST) window paces these requests; search and GraphQL have their own.
            var resource = Header(headers, "x-ratelimit-resource");
            if (resource is null or "core"
                && Number(headers, "x-ratelimit-limit") is { } limit
                && Number(headers, "x-ratelimit-remaining") is { } remaining
                && Number(headers, "x-ratelimit-reset") is { } reset)
            {
                _limit = (int)Math.Min(limit, int.MaxValue);
                _remaining = (int)Math.Min(remaining, int.MaxValue);
                _reset = DateTimeOffset.FromUnixTimeSeconds(reset);
            }

            if (RetryAfter(response, now) is { } until && until > _pausedUntil)
            {
                _pausedUntil = until;
            }
        }
    }

    /// <summary>
    /// When GitHub asked to wait: a <c>retry-after</c> header on any answer, or a 403/429 that
    /// says a rate limit was hit (a used-up window waits for its reset).
    /// </summary>
    public static DateTimeOffset? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            return retryAfter.Delta is { } delta ? now + delta : retryAfter.Date;
        }

        if (!IsRateLimited(response))
        {
            return null;
        }

        return Number(response.Headers, "x-ratelimit-remaining") == 0 && Number(response.Headers, "x-ratelimit-reset") is { } reset
            ? DateTimeOffset.FromUnixTimeSeconds(reset)
            : now + SecondaryLimitPause;
    }

    /// <summary>A refusal because of a rate limit (primary or secondary), as opposed to a lack of access.</summary>
    public static bool IsRateLimited(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.TooManyRequests
        || (response.StatusCode == HttpStatusCode.Forbidden
            && (response.Headers.RetryAfter is not null || Number(response.Headers, "x-ratelimit-remaining") == 0));

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static long? Number(HttpResponseHeaders headers, string name) =>
        long.TryParse(Header(headers, name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
