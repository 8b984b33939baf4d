using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrleansReleases.Fakes;

/// <summary>
/// A fake GitHub REST API on a loopback port, in the test process. It answers what the service
/// uses, with GitHub's JSON shapes and habits:
/// <list type="bullet">
/// <item><c>GET /orgs/{org}/repos</c>: <c>per_page</c>/<c>page</c> and a <c>Link</c> header with next/last/prev/first</item>
/// <item><c>GET /repos/{o}/{r}/compare/{base}...{head}</c>: <c>ahead_by</c>, <c>behind_by</c>, <c>status</c>,
/// <c>total_commits</c>; without paging parameters the newest 250 commits (oldest first, so the last is the
/// most recent of the comparison), with <c>per_page</c>/<c>page</c> the pages in chronological order, as
/// GitHub's OpenAPI description says; either side a branch or a sha; 404 when a branch is missing, and
/// 404 "No common ancestor between X and Y." for unrelated histories</item>
/// <item><c>GET /repos/{o}/{r}/git/ref/heads/{branch}</c>: a branch's head</item>
/// <item>disabled repos: listed with <c>disabled: true</c>, 403 to requests about them</item>
/// <item><c>GET /repos/{o}/{r}/pulls?state=open&amp;head=org:branch&amp;base=branch</c></item>
/// <item>a weak ETag on every answer and 304 for a matching <c>If-None-Match</c>; a 304 costs no rate limit</item>
/// <item><c>x-ratelimit-*</c> headers, 403 when the window is used up, secondary limits with <c>retry-after</c></item>
/// <item><c>POST /graphql</c>: the queries <c>GitHubBatchComparer</c> sends (a <c>repository</c> block per
/// alias with <c>Ref.compare</c> (and its <c>baseTarget</c>), the head ref (and its commit's
/// <c>statusCheckRollup</c>, from the statuses and check runs tests set) and <c>pullRequests</c>), answered in GraphQL's shape
/// (<c>data</c> by alias, <c>errors</c> with a <c>path</c>); its own rate-limit window (<c>graphql</c>)</item>
/// <item>commit statuses (<c>POST /repos/{o}/{r}/statuses/{sha}</c>, the combined status and the list of a ref):
/// see <c>FakeGitHub.Statuses.cs</c></item>
/// <item>401 without the right token, injectable 5xx per repo, and latency on every request</item>
/// </list>
/// </summary>
public sealed partial class FakeGitHub : IAsyncDisposable
{
    public const int DefaultRateLimit = 5000;

    private readonly WebApplication _app;
    private readonly Dictionary<string, FakeRepo> _repos = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<FakeRepo> _ordered = [];
    private readonly ConcurrentQueue<string> _log = new();
    private readonly ConcurrentQueue<FakeRequestBody> _bodies = new();
    private long _commitCounter;
    private int _rateRemaining;
    private int _secondaryLimitsLeft;
    private int _graphQlRemaining = DefaultRateLimit;
    private int _graphQlFailuresLeft;
    private HttpStatusCode _graphQlFailure;
    private int _secondaryRetryAfter;
    private int _inFlight;
    private int _maxInFlight;
    private long _requests;
    private long _notModified;

    private FakeGitHub(WebApplication app, string organization, string? token)
    {
        _app = app;
        Organization = organization;
        Token = token;
        _rateRemaining = DefaultRateLimit;
    }

    internal object Lock { get; } = new();

    public string Organization { get; }

    /// <summary>The token requests must carry (<c>Authorization: token …</c> or <c>Bearer …</c>); null accepts any.</summary>
    public string? Token { get; }

    /// <summary>The API root, as <c>Releases:GitHub:ApiUrl</c> wants it (ends with '/').</summary>
    public Uri ApiUrl { get; private set; } = null!;

    /// <summary>How long every request takes before it is answered (network and GitHub's own time).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>The rate-limit window: requests left of <see cref="DefaultRateLimit"/>.</summary>
    public int RateLimitRemaining
    {
        get { lock (Lock) { return _rateRemaining; } }
        set { lock (Lock) { _rateRemaining = value; } }
    }

    /// <summary>When the window resets (what <c>x-ratelimit-reset</c> says).</summary>
    public DateTimeOffset RateLimitReset { get; set; } = DateTimeOffset.UtcNow.AddHours(1);

    /// <summary>Every request answered so far.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Requests answered 304 Not Modified.</summary>
    public long NotModified => Interlocked.Read(ref _notModified);

    /// <summary>The most requests that were ever under way at once.</summary>
    public int MaxConcurrentRequests => Volatile.Read(ref _maxInFlight);

    /// <summary>"METHOD path?query → status" of every request, in the order answered.</summary>
    public IReadOnlyList<string> RequestLog => [.. _log];

    /// <summary>The JSON bodies of the REST requests that had one (status POSTs; not GraphQL), in the order received.</summary>
    public IReadOnlyList<FakeRequestBody> RequestBodies => [.. _bodies];

    /// <summary>
    /// Starts the fake on loopback: <paramref name="port"/> 0 takes a free one; <paramref name="configure"/>
    /// may map more endpoints (the standalone host's seeding endpoints), answered like GitHub's.
    /// </summary>
    public static async Task<FakeGitHub> StartAsync(string organization = "acme", string? token = "ghp_fake-token", int port = 0,
        Action<WebApplication, FakeGitHub>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeGitHub(app, organization, token);
        app.Use(fake.AroundEveryRequestAsync);
        app.MapGet("/orgs/{org}/repos", fake.ListReposAsync);
        app.MapGet("/repos/{owner}/{repo}/compare/{**spec}", fake.CompareAsync);
        app.MapGet("/repos/{owner}/{repo}/git/ref/{**reference}", fake.GetRefAsync);
        app.MapGet("/repos/{owner}/{repo}/pulls", fake.ListPullsAsync);
        app.MapPost("/graphql", fake.GraphQlAsync);
        app.MapGet("/rate_limit", fake.RateLimitAsync);
        fake.MapCommitStatuses(app);
        configure?.Invoke(app, fake);
        fake.MapChecks(app);
        await app.StartAsync();
        fake.ApiUrl = new Uri(app.Urls.First().TrimEnd('/') + "/");
        return fake;
    }

    /// <summary>Adds a repo with a <c>master</c> branch of one commit.</summary>
    public FakeRepo AddRepo(string name, string initialAuthor = "Founder")
    {
        lock (Lock)
        {
            var repo = new FakeRepo(this, name, 5000 + _ordered.Count, initialAuthor);
            _repos.Add(name, repo);
            _ordered.Add(repo);
            return repo;
        }
    }

    public FakeRepo Repo(string name)
    {
        lock (Lock)
        {
            return _repos[name];
        }
    }

    /// <summary>The GraphQL window: queries left (each query costs one point here).</summary>
    public int GraphQlRateLimitRemaining
    {
        get { lock (Lock) { return _graphQlRemaining; } }
        set { lock (Lock) { _graphQlRemaining = value; } }
    }

    /// <summary>The next <paramref name="times"/> GraphQL queries fail with <paramref name="status"/>.</summary>
    public void FailNextGraphQl(int times, HttpStatusCode status = HttpStatusCode.BadGateway)
    {
        lock (Lock)
        {
            _graphQlFailuresLeft = times;
            _graphQlFailure = status;
        }
    }

    /// <summary>The next <paramref name="times"/> requests are refused by a secondary rate limit (403, <c>retry-after</c>).</summary>
    public void SecondaryRateLimitNext(int times, int retryAfterSeconds = 1)
    {
        lock (Lock)
        {
            _secondaryLimitsLeft = times;
            _secondaryRetryAfter = retryAfterSeconds;
        }
    }

    /// <summary>
    /// Delivers a <c>push</c> webhook for <paramref name="branch"/> of <paramref name="repo"/> to
    /// <paramref name="hookUrl"/>, signed with <paramref name="secret"/> as GitHub signs it
    /// (<c>X-Hub-Signature-256</c>); a null secret sends no signature.
    /// </summary>
    public async Task<HttpResponseMessage> DeliverPushAsync(HttpClient http, Uri hookUrl, string? secret, string repo, string branch,
        string? signatureOverride = null)
    {
        var target = Repo(repo);
        var after = target.HeadOf(branch);
        var payload = JsonSerializer.Serialize(new
        {
            @ref = $"refs/heads/{branch}",
            before = new string('0', 40),
            after,
            created = false,
            deleted = false,
            forced = false,
            base_ref = (string?)null,
            compare = $"https://github.com/{Organization}/{repo}/compare/{after[..12]}",
            commits = Array.Empty<object>(),
            head_commit = (object?)null,
            repository = GitHubShapes.Repository(ApiUrl.ToString(), Organization, target),
            pusher = new { name = "alice", email = "alice@example.com" },
            organization = new
            {
                login = Organization,
                id = 1000,
                node_id = "O_1000",
                url = $"{ApiUrl}orgs/{Organization}",
                repos_url = $"{ApiUrl}orgs/{Organization}/repos",
                events_url = $"{ApiUrl}orgs/{Organization}/events",
                hooks_url = $"{ApiUrl}orgs/{Organization}/hooks",
                issues_url = $"{ApiUrl}orgs/{Organization}/issues",
                members_url = $"{ApiUrl}orgs/{Organization}/members{{/member}}",
                public_members_url = $"{ApiUrl}orgs/{Organization}/public_members{{/member}}",
                avatar_url = "https://avatars.githubusercontent.com/u/1000?v=4",
                description = "The fake organisation",
            },
            sender = GitHubShapes.User(ApiUrl.ToString(), "alice", 10_001),
        });
        var request = new HttpRequestMessage(HttpMethod.Post, hookUrl) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add("X-GitHub-Hook-ID", "1");
        request.Headers.UserAgent.ParseAdd("GitHub-Hookshot/fake");
        if (signatureOverride is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", signatureOverride);
        }
        else if (secret is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", Sign(secret, payload));
        }

        return await http.SendAsync(request);
    }

    /// <summary>GitHub's webhook signature: <c>sha256=</c> and the hex HMAC-SHA256 of the body.</summary>
    public static string Sign(string secret, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    internal FakeCommit NewCommit(string repo, string author, string? login, string message)
    {
        var n = Interlocked.Increment(ref _commitCounter);
        return new FakeCommit(FakeRepo.ShaOf($"{repo}/{n}"), author, login, message, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(n));
    }

    /// <summary>Latency, authentication, rate limits, ETags and the request log, around every endpoint.</summary>
    private async Task AroundEveryRequestAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments("/_fake"))
        {
            await next(context); // the standalone host's seeding endpoints: not GitHub's API
            return;
        }

        var inFlight = Interlocked.Increment(ref _inFlight);
        for (var max = Volatile.Read(ref _maxInFlight); inFlight > max; max = Volatile.Read(ref _maxInFlight))
        {
            Interlocked.CompareExchange(ref _maxInFlight, inFlight, max);
        }

        try
        {
            if (Latency > TimeSpan.Zero)
            {
                await Task.Delay(Latency, context.RequestAborted);
            }

            Interlocked.Increment(ref _requests);
            if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
            {
                if (context.Request.Path != "/graphql")
                {
                    context.Request.EnableBuffering();
                    using var reader = new StreamReader(context.Request.Body, leaveOpen: true);
                    _bodies.Enqueue(new FakeRequestBody(context.Request.Method, $"{context.Request.Path}{context.Request.QueryString}",
                        await reader.ReadToEndAsync(context.RequestAborted)));
                    context.Request.Body.Position = 0;
                }
            }

            try
            {
                await AnswerAsync(context, next);
                _log.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString} → {context.Response.StatusCode}");
            }
            catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
            {
                // A bug of the fake shows in the log that tests print, not as a bare 500.
                _log.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString} → fake failed: {ex}");
                throw;
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task AnswerAsync(HttpContext context, RequestDelegate next)
    {
        var response = context.Response;
        if (Token is not null && !HasToken(context.Request))
        {
            await WriteJsonAsync(context, 401, GitHubShapes.Error("Bad credentials", 401));
            return;
        }

        lock (Lock)
        {
            if (_secondaryLimitsLeft > 0)
            {
                _secondaryLimitsLeft--;
                response.Headers["retry-after"] = _secondaryRetryAfter.ToString(CultureInfo.InvariantCulture);
                WriteRateLimitHeaders(response);
                response.StatusCode = 403;
            }
        }

        if (response.StatusCode == 403)
        {
            await WriteJsonAsync(context, 403, GitHubShapes.Error(
                "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", 403));
            return;
        }

        // The endpoint writes into a buffer, so the ETag can be computed and a 304 sent instead.
        var original = response.Body;
        using var buffer = new MemoryStream();
        response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            response.Body = original;
        }

        var notModified = false;
        var graphQl = context.Request.Path == "/graphql";
        if (context.Request.Path == "/rate_limit")
        {
            // GitHub: "Accessing this endpoint does not count against your REST API rate limit."
            lock (Lock)
            {
                WriteRateLimitHeaders(response);
            }

            response.ContentLength = buffer.Length;
            buffer.Position = 0;
            await buffer.CopyToAsync(original, context.RequestAborted);
            return;
        }

        lock (Lock)
        {
            if (graphQl)
            {
                _graphQlRemaining = Math.Max(0, _graphQlRemaining - (response.StatusCode == 200 ? 1 : 0));
                WriteRateLimitHeaders(response, "graphql", _graphQlRemaining);
            }
            else if (response.StatusCode == 200 && HttpMethods.IsGet(context.Request.Method))
            {
                var etag = $"W/\"{Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()))[..32]}\"";
                response.Headers.ETag = etag;
                notModified = context.Request.Headers.IfNoneMatch.Any(value => value == etag);
            }

            // GitHub counts every request against the window except a conditional one answered 304.
            if (!notModified && !graphQl)
            {
                if (_rateRemaining <= 0)
                {
                    WriteRateLimitHeaders(response);
                    response.StatusCode = 403;
                    buffer.SetLength(0);
                    buffer.Write(JsonSerializer.SerializeToUtf8Bytes(GitHubShapes.Error("API rate limit exceeded for user ID 1.", 403)));
                }
                else
                {
                    _rateRemaining--;
                }
            }

            if (!graphQl)
            {
                WriteRateLimitHeaders(response);
            }
        }

        if (notModified)
        {
            Interlocked.Increment(ref _notModified);
            response.StatusCode = 304;
            response.ContentType = null;
            return;
        }

        response.ContentLength = buffer.Length;
        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    /// <summary><c>GET /rate_limit</c> in GitHub's shape (<c>rate-limit-overview</c>): every window, REST's also as the deprecated <c>rate</c>.</summary>
    private Task RateLimitAsync(HttpContext context)
    {
        object Window(int limit, int remaining) => new
        {
            limit, remaining, reset = RateLimitReset.ToUnixTimeSeconds(), used = limit - remaining,
        };
        object answer;
        lock (Lock)
        {
            var core = Window(DefaultRateLimit, Math.Max(0, _rateRemaining));
            answer = new
            {
                resources = new
                {
                    core,
                    graphql = Window(DefaultRateLimit, Math.Max(0, _graphQlRemaining)),
                    search = Window(30, 30),
                },
                rate = core,
            };
        }

        return WriteJsonAsync(context, 200, answer);
    }

    private bool HasToken(HttpRequest request)
    {
        // Octokit sends "Token …"; GitHub takes the scheme in any case, and "Bearer" too.
        var header = request.Headers.Authorization.ToString().Split(' ', 2);
        return header.Length == 2 && header[0].ToLowerInvariant() is "token" or "bearer" && header[1] == Token;
    }

    private void WriteRateLimitHeaders(HttpResponse response, string resource = "core", int? remaining = null)
    {
        var left = Math.Max(0, remaining ?? _rateRemaining);
        response.Headers["x-ratelimit-limit"] = DefaultRateLimit.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-remaining"] = left.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-reset"] = RateLimitReset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-used"] = (DefaultRateLimit - left).ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-resource"] = resource;
    }

    private static readonly System.Text.RegularExpressions.Regex RepositoryBlock = new(
        """(?<alias>r\d+): repository\(owner: (?<owner>"(?:[^"\\]|\\.)*"), name: (?<name>"(?:[^"\\]|\\.)*")\) \{\s*""" +
        """base: ref\(qualifiedName: (?<base>"(?:[^"\\]|\\.)*")\) \{ compare\(headRef: (?<head>"(?:[^"\\]|\\.)*")\) \{ aheadBy commits\(first: (?<first>\d+)\)""" +
        """[^\n]*\n[^\n]*\n\s*pullRequests\(states: OPEN, baseRefName: "(?:[^"\\]|\\.)*", headRefName: "(?:[^"\\]|\\.)*", first: (?<pulls>\d+)\)""");

    /// <summary>The GraphQL queries of the GitHub source: one repository block per alias.</summary>
    private async Task GraphQlAsync(HttpContext context)
    {
        var body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, cancellationToken: context.RequestAborted);
        var query = body.TryGetProperty("query", out var q) ? q.GetString() ?? "" : "";
        var data = new Dictionary<string, object?>();
        var errors = new List<object>();
        var asked = new GraphQlAsked(query.Contains("baseTarget { oid }", StringComparison.Ordinal),
            ContextsFirst.Match(query) is { Success: true } contextsFirst ? int.Parse(contextsFirst.Groups[1].Value, CultureInfo.InvariantCulture) : null);
        HttpStatusCode? failure = null;
        lock (Lock)
        {
            if (_graphQlFailuresLeft > 0)
            {
                _graphQlFailuresLeft--;
                failure = _graphQlFailure;
            }
            else if (_graphQlRemaining <= 0)
            {
                failure = HttpStatusCode.Forbidden; // GraphQL's own window is used up (REST's may not be)
            }
            else
            {
                foreach (System.Text.RegularExpressions.Match block in RepositoryBlock.Matches(query))
                {
                    string Text(string group) => JsonSerializer.Deserialize<string>(block.Groups[group].Value)!;
                    var alias = block.Groups["alias"].Value;
                    data[alias] = GraphQlRepository(alias, Text("owner"), Text("name"), Text("base")["refs/heads/".Length..],
                        Text("head")["refs/heads/".Length..], int.Parse(block.Groups["first"].Value, CultureInfo.InvariantCulture),
                        int.Parse(block.Groups["pulls"].Value, CultureInfo.InvariantCulture), asked, errors);
                }
            }
        }

        if (failure is { } status)
        {
            await WriteJsonAsync(context, (int)status, GitHubShapes.Error(
                status == HttpStatusCode.Forbidden ? "API rate limit exceeded for user ID 1." : "Server Error", (int)status));
            return;
        }

        await WriteJsonAsync(context, 200, errors.Count == 0 ? new { data } : new { data, errors });
    }

    private static readonly System.Text.RegularExpressions.Regex ContextsFirst = new(@"statusCheckRollup \{ contexts\(first: (\d+)\)");

    /// <summary>What a query asks beyond the comparison: the base target, and the head's checks (so many contexts).</summary>
    private sealed record GraphQlAsked(bool BaseTarget, int? ContextsFirst);

    private object? GraphQlRepository(string alias, string owner, string name, string baseBranch, string headBranch, int first, int pullsFirst,
        GraphQlAsked asked, List<object> errors)
    {
        if (!owner.Equals(Organization, StringComparison.OrdinalIgnoreCase) || !_repos.TryGetValue(name, out var repo))
        {
            errors.Add(new { type = "NOT_FOUND", path = new[] { alias }, locations = new[] { new { line = 2, column = 3 } },
                message = $"Could not resolve to a Repository with the name '{owner}/{name}'." });
            return null;
        }

        var baseline = repo.History(baseBranch);
        var head = repo.History(headBranch);
        object? comparison = null;
        if (baseline is not null && head is not null)
        {
            if (baseline[0].Sha != head[0].Sha)
            {
                errors.Add(new { type = (string?)null, path = new[] { alias, "base", "compare" }, locations = new[] { new { line = 3, column = 5 } },
                    message = $"No common ancestor between {baseBranch} and {headBranch}." });
            }
            else
            {
                var inBase = baseline.Select(c => c.Sha).ToHashSet();
                var ahead = head.Where(c => !inBase.Contains(c.Sha)).ToList();
                var answer = new Dictionary<string, object?>
                {
                    ["aheadBy"] = ahead.Count,
                    ["commits"] = new
                    {
                        nodes = ahead.Take(first).Select(c => new
                        {
                            oid = c.Sha,
                            author = new { name = c.AuthorName, user = c.Login is { } login ? new { login } : null },
                        }),
                    },
                };
                if (asked.BaseTarget)
                {
                    answer["baseTarget"] = new { oid = baseline[^1].Sha };
                }

                comparison = answer;
            }
        }

        // headRefName matches the branch name only: a fork's pull request from a branch of that name is listed too.
        var pulls = repo.OpenPullsAll().Where(p => p.Head == headBranch && p.Base == baseBranch).ToList();
        return new Dictionary<string, object?>
        {
            ["base"] = baseline is null ? null : new Dictionary<string, object?> { ["compare"] = comparison },
            ["head"] = head is null ? null : new { target = HeadTarget(repo, head[^1].Sha, asked) },
            ["pullRequests"] = new
            {
                totalCount = pulls.Count,
                nodes = pulls.Take(pullsFirst).Select(p => new
                {
                    number = p.Number,
                    url = $"https://github.com/{Organization}/{repo.Name}/pull/{p.Number}",
                    isCrossRepository = p.ForkOwner is not null,
                    headRepositoryOwner = new { login = p.ForkOwner ?? Organization },
                }),
            },
            ["isArchived"] = repo.Archived,
            ["isDisabled"] = repo.Disabled,
        };
    }

    /// <summary>
    /// The head commit, with its <c>statusCheckRollup</c> when asked: null without statuses and check
    /// runs, else its state and the latest status per context and the check runs, as GitHub's enums say them.
    /// </summary>
    private Dictionary<string, object?> HeadTarget(FakeRepo repo, string sha, GraphQlAsked asked)
    {
        var target = new Dictionary<string, object?> { ["oid"] = sha };
        if (asked.ContextsFirst is not { } contextsFirst)
        {
            return target;
        }

        var key = StatusKey(repo.Name, sha);
        var statuses = (_statuses.TryGetValue(key, out var all) ? all : [])
            .GroupBy(s => s.Context, StringComparer.OrdinalIgnoreCase).Select(g => g.Last()).OrderByDescending(s => s.Id).ToList();
        var runs = _checkRuns.TryGetValue(key, out var list) ? list.ToList() : [];
        if (statuses.Count == 0 && runs.Count == 0)
        {
            target["statusCheckRollup"] = null;
            return target;
        }

        var nodes = statuses.Select(s => (object)new Dictionary<string, object?>
            {
                ["__typename"] = "StatusContext",
                ["context"] = s.Context,
                ["state"] = s.State.ToUpperInvariant(),
                ["targetUrl"] = s.TargetUrl,
            })
            .Concat(runs.Select(r => (object)new Dictionary<string, object?>
            {
                ["__typename"] = "CheckRun",
                ["name"] = r.Name,
                ["status"] = r.Status.ToUpperInvariant(),
                ["conclusion"] = r.Conclusion?.ToUpperInvariant(),
                ["detailsUrl"] = $"https://ci.example.com/runs/{r.Id}",
            }))
            .ToList();
        target["statusCheckRollup"] = new
        {
            contexts = new { totalCount = nodes.Count, nodes = nodes.Take(contextsFirst) },
        };
        return target;
    }

    private async Task ListReposAsync(HttpContext context, string org)
    {
        if (!org.Equals(Organization, StringComparison.OrdinalIgnoreCase))
        {
            await WriteJsonAsync(context, 404, GitHubShapes.Error("Not Found", 404));
            return;
        }

        var (perPage, page) = Paging(context.Request, defaultPerPage: 30);
        List<object> items;
        int lastPage;
        lock (Lock)
        {
            lastPage = Math.Max(1, (_ordered.Count + perPage - 1) / perPage);
            items = _ordered.Skip((page - 1) * perPage).Take(perPage)
                .Select(repo => GitHubShapes.Repository(ApiUrl.ToString(), Organization, repo)).ToList();
        }

        SetPageLinks(context, perPage, page, lastPage);
        await WriteJsonAsync(context, 200, items);
    }

    private async Task CompareAsync(HttpContext context, string owner, string repo, string spec)
    {
        var parts = Uri.UnescapeDataString(spec).Split("...", 2);
        if (parts.Length != 2 || !owner.Equals(Organization, StringComparison.OrdinalIgnoreCase))
        {
            await WriteJsonAsync(context, 404, GitHubShapes.Error("Not Found", 404));
            return;
        }

        var (baseBranch, headBranch) = (parts[0], parts[1]);
        object? answer;
        int status;
        lock (Lock)
        {
            if (!_repos.TryGetValue(repo, out var target))
            {
                (status, answer) = (404, GitHubShapes.Error("Not Found", 404));
            }
            else if (target.TakeFailure() is { } failure)
            {
                (status, answer) = ((int)failure, GitHubShapes.Error("Server Error", (int)failure));
            }
            else
            {
                (status, answer) = Compare(context, target, baseBranch, headBranch);
            }
        }

        await WriteJsonAsync(context, status, answer);
    }

    private (int Status, object Answer) Compare(HttpContext context, FakeRepo repo, string baseBranch, string headBranch)
    {
        if (repo.Disabled)
        {
            return (403, GitHubShapes.Error("Repository access blocked", 403));
        }

        // Either side may be a branch or a commit sha.
        var baseline = repo.HistoryAt(baseBranch);
        var head = repo.HistoryAt(headBranch);
        if (baseline is null || head is null)
        {
            return (404, GitHubShapes.Error("Not Found", 404));
        }

        if (baseline[0].Sha != head[0].Sha)
        {
            // What GitHub answers for unrelated histories (a 404, like a missing branch, told apart by its message).
            return (404, GitHubShapes.Error($"No common ancestor between {baseBranch} and {headBranch}.", 404));
        }

        var inBase = baseline.Select(c => c.Sha).ToHashSet();
        var inHead = head.Select(c => c.Sha).ToHashSet();
        var ahead = head.Where(c => !inBase.Contains(c.Sha)).ToList();
        var behind = baseline.Count(c => !inHead.Contains(c.Sha));
        var mergeBase = head.Last(c => inBase.Contains(c.Sha));
        var status = (ahead.Count, behind) switch
        {
            (0, 0) => "identical",
            (_, 0) => "ahead",
            (0, _) => "behind",
            _ => "diverged",
        };

        // As GitHub's OpenAPI description says: without paging parameters at most 250 commits, "the last
        // commit in the list is the most recent of the entire comparison" (the newest 250, oldest first);
        // with per_page or page, one page of the whole list in chronological order.
        IEnumerable<FakeCommit> listed = ahead.TakeLast(250);
        if (context.Request.Query.ContainsKey("per_page") || context.Request.Query.ContainsKey("page"))
        {
            var (perPage, page) = Paging(context.Request, defaultPerPage: 30);
            listed = ahead.Skip((page - 1) * perPage).Take(perPage);
            SetPageLinks(context, perPage, page, Math.Max(1, (ahead.Count + perPage - 1) / perPage));
        }

        var baseUrl = ApiUrl.ToString();
        var parents = head.Zip(head.Skip(1)).ToDictionary(pair => pair.Second.Sha, pair => pair.First.Sha);
        var name = repo.Name;
        return (200, new
        {
            url = $"{baseUrl}repos/{Organization}/{name}/compare/{baseBranch}...{headBranch}",
            html_url = $"https://github.com/{Organization}/{name}/compare/{baseBranch}...{headBranch}",
            permalink_url = $"https://github.com/{Organization}/{name}/compare/{Organization}:{baseline[^1].Sha[..7]}...{Organization}:{head[^1].Sha[..7]}",
            diff_url = $"https://github.com/{Organization}/{name}/compare/{baseBranch}...{headBranch}.diff",
            patch_url = $"https://github.com/{Organization}/{name}/compare/{baseBranch}...{headBranch}.patch",
            base_commit = GitHubShapes.Commit(baseUrl, Organization, name, baseline[^1], null),
            merge_base_commit = GitHubShapes.Commit(baseUrl, Organization, name, mergeBase, null),
            status,
            ahead_by = ahead.Count,
            behind_by = behind,
            total_commits = ahead.Count,
            commits = listed.Select(c => GitHubShapes.Commit(baseUrl, Organization, name, c, parents.GetValueOrDefault(c.Sha))).ToList(),
            files = ahead.Count == 0 ? Array.Empty<object>() :
            [
                new
                {
                    sha = FakeRepo.ShaOf("file" + head[^1].Sha),
                    filename = "src/service.cs",
                    status = "modified",
                    additions = ahead.Count,
                    deletions = 0,
                    changes = ahead.Count,
                    blob_url = $"https://github.com/{Organization}/{name}/blob/{head[^1].Sha}/src/service.cs",
                    raw_url = $"https://github.com/{Organization}/{name}/raw/{head[^1].Sha}/src/service.cs",
                    contents_url = $"{baseUrl}repos/{Organization}/{name}/contents/src/service.cs?ref={head[^1].Sha}",
                    patch = "@@ -1 +1 @@\n-old\n+new",
                },
            ],
        });
    }

    /// <summary><c>GET /repos/{o}/{r}/git/ref/heads/{branch}</c>: the branch's head, 404 for a ref that does not exist.</summary>
    private async Task GetRefAsync(HttpContext context, string owner, string repo, string reference)
    {
        reference = Uri.UnescapeDataString(reference);
        int status;
        object answer;
        lock (Lock)
        {
            if (!owner.Equals(Organization, StringComparison.OrdinalIgnoreCase) || !_repos.TryGetValue(repo, out var target))
            {
                (status, answer) = (404, GitHubShapes.Error("Not Found", 404));
            }
            else if (target.Disabled)
            {
                (status, answer) = (403, GitHubShapes.Error("Repository access blocked", 403));
            }
            else if (reference.StartsWith("heads/", StringComparison.Ordinal) && target.History(reference["heads/".Length..]) is { } commits)
            {
                (status, answer) = (200, GitHubShapes.GitRef(ApiUrl.ToString(), Organization, target.Name, "refs/" + reference, commits[^1].Sha));
            }
            else
            {
                (status, answer) = (404, GitHubShapes.Error("Not Found", 404));
            }
        }

        await WriteJsonAsync(context, status, answer);
    }

    private async Task ListPullsAsync(HttpContext context, string owner, string repo)
    {
        var query = context.Request.Query;
        var state = query["state"].ToString() is { Length: > 0 } s ? s : "open";
        var headFilter = query["head"].ToString();
        var baseFilter = query["base"].ToString();
        List<object> items = [];
        int status = 200;
        lock (Lock)
        {
            if (!owner.Equals(Organization, StringComparison.OrdinalIgnoreCase) || !_repos.TryGetValue(repo, out var target))
            {
                status = 404;
            }
            else if (state == "open")
            {
                // head is "owner:branch"; GitHub lists only pull requests whose head (owner and branch) matches it.
                var (headOwner, headBranch) = headFilter.Split(':', 2) is [var o, var b] ? (o, b) : (null, headFilter.Length == 0 ? null : "\0no match");
                items = target.OpenPullsAll()
                    .Where(p => (headBranch is null || (p.Head == headBranch
                                                        && (headOwner ?? "").Equals(p.ForkOwner ?? Organization, StringComparison.OrdinalIgnoreCase)))
                                && (baseFilter.Length == 0 || p.Base == baseFilter))
                    .Select(p => GitHubShapes.PullRequest(ApiUrl.ToString(), Organization, target, p,
                        target.History(p.Head)?[^1].Sha ?? "", target.History(p.Base)?[^1].Sha ?? ""))
                    .ToList();
            }
        }

        if (status == 404)
        {
            await WriteJsonAsync(context, 404, GitHubShapes.Error("Not Found", 404));
            return;
        }

        var (perPage, page) = Paging(context.Request, defaultPerPage: 30);
        SetPageLinks(context, perPage, page, Math.Max(1, (items.Count + perPage - 1) / perPage));
        await WriteJsonAsync(context, 200, items.Skip((page - 1) * perPage).Take(perPage).ToList());
    }

    private static (int PerPage, int Page) Paging(HttpRequest request, int defaultPerPage)
    {
        var perPage = int.TryParse(request.Query["per_page"], out var p) ? Math.Clamp(p, 1, 100) : defaultPerPage;
        var page = int.TryParse(request.Query["page"], out var n) ? Math.Max(1, n) : 1;
        return (perPage, page);
    }

    /// <summary>GitHub's <c>Link</c> header: next and last while pages follow, first and prev after the first.</summary>
    private static void SetPageLinks(HttpContext context, int perPage, int page, int lastPage)
    {
        var request = context.Request;
        string Url(int number)
        {
            var query = request.Query.Where(q => q.Key is not ("page" or "per_page"))
                .Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value.ToString())}")
                .Append($"per_page={perPage}").Append($"page={number}");
            return $"<{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?{string.Join('&', query)}>";
        }

        var links = new List<string>();
        if (page < lastPage)
        {
            links.Add($"{Url(page + 1)}; rel=\"next\"");
            links.Add($"{Url(lastPage)}; rel=\"last\"");
        }

        if (page > 1)
        {
            links.Add($"{Url(1)}; rel=\"first\"");
            links.Add($"{Url(page - 1)}; rel=\"prev\"");
        }

        if (links.Count > 0)
        {
            context.Response.Headers["Link"] = string.Join(", ", links);
        }
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, object? body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A request body the fake received: the method, the path with its query, and the body as sent.</summary>
public sealed record FakeRequestBody(string Method, string Target, string Body);
