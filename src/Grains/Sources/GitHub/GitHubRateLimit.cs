using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace OrleansReleases.Grains.Sources.GitHub;

/// <summary>
/// What GitHub last said about the token's rate limits (<c>x-ratelimit-remaining</c>,
/// <c>x-ratelimit-reset</c>, per <c>x-ratelimit-resource</c>: REST's <c>core</c> and GraphQL's
/// <c>graphql</c> are separate windows) and any pause it asked for (<c>retry-after</c>, a secondary
/// limit, which holds every request), shared by every request of the process. From it comes how
/// long the next request should wait, so the service slows down before GitHub refuses rather than after.
/// </summary>
public sealed class GitHubRateLimit(TimeProvider clock)
{
    /// <summary>REST's window (<c>x-ratelimit-resource: core</c>).</summary>
    public const string Core = "core";

    /// <summary>GraphQL's window (<c>x-ratelimit-resource: graphql</c>), counted in points.</summary>
    public const string GraphQL = "graphql";

    /// <summary>Below this share of the limit, requests are spread out so the rest lasts until the reset.</summary>
    public const double SlowDownShare = 0.1;

    /// <summary>How long to pause after a secondary rate limit that names no <c>retry-after</c> (GitHub's advice: a minute).</summary>
    public static readonly TimeSpan SecondaryLimitPause = TimeSpan.FromSeconds(60);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private DateTimeOffset _pausedUntil;

    /// <summary>Requests GitHub answered with 304 Not Modified, which cost no rate limit.</summary>
    public long NotModified => Interlocked.Read(ref _notModified);

    private long _notModified;

    /// <summary>The last known remaining requests of REST's window, or null before the first answer.</summary>
    public int? Remaining => RemainingOf(Core);

    /// <summary>The last known remaining requests (points) of a window, or null before its first answer.</summary>
    public int? RemainingOf(string resource)
    {
        lock (_lock)
        {
            return _windows.TryGetValue(resource, out var window) ? window.Remaining : null;
        }
    }

    /// <summary>
    /// How long to wait before sending the next request of <paramref name="resource"/>'s window:
    /// until a pause GitHub asked for is over; until the reset when the window is used up; a share
    /// of the time to the reset when little is left; otherwise not at all. Counts the request as sent.
    /// </summary>
    public TimeSpan TakeDelay(string resource = Core)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            if (_pausedUntil > now)
            {
                return _pausedUntil - now;
            }

            return _windows.TryGetValue(resource, out var window) ? window.TakeDelay(now) : TimeSpan.Zero;
        }
    }

    /// <summary><c>GET /rate_limit</c>, which counts against no window: it is never held back by one.</summary>
    public const string Free = "free";

    /// <summary>The window a request counts against: GraphQL's for a query to the GraphQL endpoint, none for <c>/rate_limit</c>, REST's otherwise.</summary>
    public static string ResourceOf(HttpRequestMessage? request) =>
        request is { } r && r.Method == HttpMethod.Post && r.RequestUri?.AbsolutePath.EndsWith("/graphql", StringComparison.Ordinal) == true
            ? GraphQL
            : request?.RequestUri?.AbsolutePath.EndsWith("/rate_limit", StringComparison.Ordinal) == true ? Free : Core;

    /// <summary>
    /// Takes in the headers of an answer: the state of the window it names (or, when it names
    /// none, the window of its request), and any pause asked for.
    /// </summary>
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
            var resource = Header(headers, "x-ratelimit-resource") ?? ResourceOf(response.RequestMessage);
            if (resource is Core or GraphQL
                && Number(headers, "x-ratelimit-limit") is { } limit
                && Number(headers, "x-ratelimit-remaining") is { } remaining
                && Number(headers, "x-ratelimit-reset") is { } reset)
            {
                if (!_windows.TryGetValue(resource, out var window))
                {
                    _windows[resource] = window = new Window();
                }

                window.Limit = (int)Math.Min(limit, int.MaxValue);
                window.Remaining = (int)Math.Min(remaining, int.MaxValue);
                window.Reset = DateTimeOffset.FromUnixTimeSeconds(reset);
            }

            // A used-up window waits in its own state; a retry-after or a secondary limit holds every request.
            var windowUsedUp = Number(headers, "x-ratelimit-remaining") == 0 && headers.RetryAfter is null;
            if (!windowUsedUp && RetryAfter(response, now) is { } until && until > _pausedUntil)
            {
                _pausedUntil = until;
            }
        }
    }

    /// <summary>One rate-limit window. Used under the lock.</summary>
    private sealed class Window
    {
        public int? Limit { get; set; }

        public int? Remaining { get; set; }

        public DateTimeOffset Reset { get; set; }

        private DateTimeOffset _nextPacedSend;

        public TimeSpan TakeDelay(DateTimeOffset now)
        {
            var delay = TimeSpan.Zero;
            if (Remaining is { } remaining && Limit is { } limit && Reset > now)
            {
                if (remaining <= 0)
                {
                    delay = Reset - now;
                }
                else if (remaining < limit * SlowDownShare)
                {
                    // One request per interval, in turn: concurrent requests must not all wait the
                    // same interval and then go together.
                    var interval = (Reset - now) / remaining;
                    var at = _nextPacedSend > now ? _nextPacedSend : now;
                    _nextPacedSend = at + interval;
                    delay = at - now;
                }

                Remaining = remaining - 1;
            }

            return delay;
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
