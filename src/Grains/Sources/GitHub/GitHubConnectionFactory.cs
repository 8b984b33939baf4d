using Octokit;
using Octokit.Caching;
using Octokit.Internal;

namespace OrleansReleases.Grains.Sources.GitHub;

/// <summary>
/// Octokit connections to the configured GitHub: Octokit's own request and JSON handling, on
/// <see cref="CachingHttpClient"/> (ETags, kept in SQLite) over the "github" handler pipeline of
/// <see cref="IHttpMessageHandlerFactory"/> (throttling, retries, rate-limit reading). The same
/// code talks to github.com, GitHub Enterprise Server and the tests' fake; only the URL differs.
/// </summary>
public sealed class GitHubConnectionFactory(GitHubOptions options, IHttpMessageHandlerFactory handlers, GitHubResponseCache cache)
{
    /// <summary>The name of the HTTP client (and its handler pipeline) that talks to GitHub.</summary>
    public const string HttpClientName = "github";

    private static readonly ProductHeaderValue UserAgent = new("OrleansReleases");

    public IConnection Create()
    {
        var http = new CachingHttpClient(new HttpClientAdapter(() => handlers.CreateHandler(HttpClientName)), cache);
        var credentials = string.IsNullOrEmpty(options.Token) ? Credentials.Anonymous : new Credentials(options.Token);
        return new Connection(UserAgent, options.ApiBaseAddress, new InMemoryCredentialStore(credentials), http, new SimpleJsonSerializer());
    }
}
