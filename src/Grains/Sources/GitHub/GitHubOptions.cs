using Microsoft.Extensions.Configuration;

namespace OrleansReleases.Grains.Sources.GitHub;

/// <summary>Settings under <c>Releases:GitHub</c> (see the settings table in README.md).</summary>
public sealed class GitHubOptions
{
    public const string Section = "Releases:GitHub";

    /// <summary>The public REST API root; GitHub Enterprise Server answers at <c>https://HOST/api/v3/</c>.</summary>
    public const string PublicApiUrl = "https://api.github.com/";

    /// <summary>The organisation whose repos are compared; unset means no GitHub source.</summary>
    public string? Organization { get; set; }

    /// <summary>A token that may read the organisation's repos and pull requests. Never logged, never answered.</summary>
    public string? Token { get; set; }

    /// <summary>The REST API root: the public API, a GitHub Enterprise Server, or a test server.</summary>
    public string ApiUrl { get; set; } = PublicApiUrl;

    /// <summary>Repo name patterns (<c>*</c>, <c>?</c>) to compare; empty means every repo.</summary>
    public IReadOnlyList<string> Include { get; set; } = [];

    /// <summary>Repo name patterns to leave out, even when included.</summary>
    public IReadOnlyList<string> Exclude { get; set; } = [];

    /// <summary>GitHub refuses more concurrent requests than this per token.</summary>
    public const int GitHubConcurrencyLimit = 100;

    /// <summary>
    /// How many requests to GitHub may be under way at once, over all comparisons of the whole
    /// cluster (each silo takes its share, see <see cref="GitHubRequestGate"/>). 1 to
    /// <see cref="GitHubConcurrencyLimit"/>, else the service refuses to start; 64 leaves room for other clients.
    /// </summary>
    public int Parallelism { get; set; } = 64;

    /// <summary>
    /// N &gt; 0: repos are compared N at a time with one GraphQL query each (compare, head and pull
    /// request together): 300 repos take 12 queries instead of 600 requests (see docs/benchmarks.md),
    /// for about one point of GraphQL's own rate-limit window per query. Repos a query cannot settle
    /// (more than 100 new commits, an error) go through REST. 0: every repo through REST (a compare and
    /// a pull-request lookup), every answer kept with its ETag, so comparing unchanged repos again
    /// costs 304s and no rate limit at all, but one request per repo.
    /// </summary>
    public int GraphQLBatchSize { get; set; } = 25;

    /// <summary>Retries of a request that failed transiently (5xx, time-out, connection lost, secondary rate limit).</summary>
    public int Retries { get; set; } = 3;

    /// <summary>The first retry's delay; later ones grow exponentially (with jitter). A Retry-After header wins.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest the service waits for GitHub's rate limit to reset before it reports the repo as not compared.</summary>
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The secret that signs <c>POST /webhooks/github</c>; unset turns the webhook off.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>
    /// Set a <c>release-gate/&lt;dest&gt;</c> commit status on the head of every GitHub repo of every
    /// open release (the token needs <c>repo:status</c>). Null (unset) means on when there is a token.
    /// </summary>
    public bool? CommitStatuses { get; set; }

    /// <summary>How often undelivered commit statuses are looked for (after a crash, or while GitHub fails).</summary>
    public TimeSpan CommitStatusSweep { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Organization);

    public bool WebhookEnabled => !string.IsNullOrEmpty(WebhookSecret);

    /// <summary>The API root as an absolute URI ending in '/', so relative API paths append to it.</summary>
    public Uri ApiBaseAddress => new(ApiUrl.EndsWith('/') ? ApiUrl : ApiUrl + "/", UriKind.Absolute);

    /// <summary>
    /// The GraphQL endpoint: <c>graphql</c> under the API root, except on GitHub Enterprise Server,
    /// whose REST root <c>/api/v3/</c> has GraphQL beside it at <c>/api/graphql</c>.
    /// </summary>
    public Uri GraphQLAddress
    {
        get
        {
            var root = ApiBaseAddress;
            return root.AbsolutePath.EndsWith("/api/v3/", StringComparison.OrdinalIgnoreCase)
                ? new Uri(root, "../graphql")
                : new Uri(root, "graphql");
        }
    }

    /// <summary>
    /// Reads the section. <c>Include</c> and <c>Exclude</c> may be a configuration list
    /// (<c>Include:0</c>, <c>Include:1</c>) or one comma-separated value (<c>Include=api-*,auth-*</c>),
    /// which the standard binder cannot read into a list.
    /// </summary>
    public static GitHubOptions Read(IConfiguration section)
    {
        var options = new GitHubOptions();
        section.Bind(options);
        options.Include = Patterns(section.GetSection(nameof(Include)));
        options.Exclude = Patterns(section.GetSection(nameof(Exclude)));
        return options;
    }

    private static IReadOnlyList<string> Patterns(IConfigurationSection section)
    {
        var values = section.Value is { } single ? [single] : section.GetChildren().Select(child => child.Value ?? "");
        return values
            .SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
    }
}
