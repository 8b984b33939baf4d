using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansReleases.Grains.Domain;

namespace OrleansReleases.Grains.Sources.GitHub;

/// <summary>
/// Compares many repos with one GraphQL query: for each repo the comparison of the two branches
/// (<c>Ref.compare</c>: <c>aheadBy</c>, the first 100 commits' authors and <c>baseTarget</c>, the
/// destination's head the comparison was made from, which is the change's <c>BaseSha</c>), the source
/// branch's head with its CI checks (<c>Commit.statusCheckRollup</c>: statuses and check runs, read
/// as <see cref="GitHubCommitReader.ReadChecksAsync"/> reads the REST answers) and the open pull
/// request whose head is the repo itself (not a fork's), under an alias per repo; archived and
/// disabled repos are left out. A head with more checks than listed gets no <c>Checks</c>, so they
/// are read through REST. It goes through the same "github"
/// handler pipeline as Octokit's REST requests (throttling, retries, rate-limit reading).
/// A repo the answer does not settle (more commits than listed, an error on it) is left to REST.
/// </summary>
public sealed class GitHubBatchComparer(GitHubOptions options, IHttpClientFactory httpClients)
{
    /// <summary>Commits listed per repo; a comparison with more is settled by REST, which pages through them.</summary>
    public const int CommitsListed = 100;

    /// <summary>Open pull requests listed per repo with the source branch's name (forks' among them); with more and none ours, REST settles it.</summary>
    public const int PullRequestsListed = 10;

    /// <summary>Check contexts (statuses and check runs) listed per head; with more, REST reads the checks.</summary>
    public const int ChecksListed = 100;

    /// <summary>What the query said about one repo.</summary>
    public sealed record Outcome(bool Settled, RepoChange? Change)
    {
        /// <summary>Lacks a branch, or nothing new: not part of the release.</summary>
        public static Outcome LeftOut { get; } = new(true, null);

        /// <summary>To be compared through REST.</summary>
        public static Outcome Unsettled { get; } = new(false, null);
    }

    public async Task<IReadOnlyList<Outcome>> CompareAsync(string org, IReadOnlyList<string> repos, string sourceBranch, string destBranch,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, options.GraphQLAddress)
        {
            Content = JsonContent.Create(new { query = Query(org, repos, sourceBranch, destBranch) }),
        };
        if (!string.IsNullOrEmpty(options.Token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("bearer", options.Token);
        }

        request.Headers.UserAgent.ParseAdd("OrleansReleases");
        using var http = httpClients.CreateClient(GitHubConnectionFactory.HttpClientName);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GitHub answered {(int)response.StatusCode} {response.StatusCode} to a GraphQL query",
                null, response.StatusCode);
        }

        using var answer = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        if (!answer.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            return [.. repos.Select(_ => Outcome.Unsettled)];
        }

        // Errors name the alias they are about in their path; such a repo is left to REST, unless the repo does not exist.
        var failed = new HashSet<string>(StringComparer.Ordinal);
        var missing = new HashSet<string>(StringComparer.Ordinal);
        if (answer.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
        {
            foreach (var error in errors.EnumerateArray())
            {
                if (error.TryGetProperty("path", out var path) && path.ValueKind == JsonValueKind.Array && path.GetArrayLength() > 0
                    && path[0].GetString() is { } alias)
                {
                    var notFound = error.TryGetProperty("type", out var type) && type.GetString() == "NOT_FOUND" && path.GetArrayLength() == 1;
                    (notFound ? missing : failed).Add(alias);
                }
            }
        }

        var webRoot = GitHubCommitReader.WebRootOf(options.ApiBaseAddress);
        return [.. repos.Select((name, i) => Read(org, name, $"r{i}", data, failed, missing, webRoot))];
    }

    private static Outcome Read(string org, string name, string alias, JsonElement data, HashSet<string> failed, HashSet<string> missing, Uri webRoot)
    {
        if (!data.TryGetProperty(alias, out var repo) || repo.ValueKind != JsonValueKind.Object)
        {
            return missing.Contains(alias) ? Outcome.LeftOut : Outcome.Unsettled;
        }

        if (Flag(repo, "isArchived") || Flag(repo, "isDisabled"))
        {
            return Outcome.LeftOut; // as the REST listing leaves them out: a disabled repo answers 403 to everything
        }

        if (Object(repo, "base") is not { } baseRef || Object(repo, "head") is not { } headRef)
        {
            return Outcome.LeftOut; // a repo lacking either branch is not part of the release
        }

        if (failed.Contains(alias))
        {
            return Outcome.Unsettled;
        }

        if (Object(baseRef, "compare") is not { } comparison || Object(headRef, "target") is not { } headTarget
            || headTarget.GetProperty("oid").GetString() is not { } head)
        {
            return Outcome.Unsettled;
        }

        var aheadBy = comparison.GetProperty("aheadBy").GetInt32();
        if (aheadBy <= 0)
        {
            return Outcome.LeftOut;
        }

        var commits = comparison.GetProperty("commits").GetProperty("nodes").EnumerateArray().ToList();
        if (commits.Count < aheadBy)
        {
            return Outcome.Unsettled; // more than listed: REST pages through them
        }

        var contributors = commits
            .Select(commit => Object(commit, "author") is { } author
                ? Object(author, "user")?.GetProperty("login").GetString() is { Length: > 0 } login ? login : author.GetProperty("name").GetString()
                : null)
            .Where(c => !string.IsNullOrEmpty(c))
            .Select(c => c!)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

        // headRefName alone also matches a fork's pull request from a branch of the same name: only
        // a pull request whose head is this very repo is the release's (REST asks head=org:branch).
        if (Object(repo, "pullRequests") is not { } pulls)
        {
            return Outcome.Unsettled;
        }

        var nodes = pulls.GetProperty("nodes").EnumerateArray().Where(n => n.ValueKind == JsonValueKind.Object).ToList();
        var pull = nodes.FirstOrDefault(n => !Flag(n, "isCrossRepository")
            && Object(n, "headRepositoryOwner")?.GetProperty("login").GetString() is { } owner
            && owner.Equals(org, StringComparison.OrdinalIgnoreCase));
        if (pull.ValueKind != JsonValueKind.Object && pulls.TryGetProperty("totalCount", out var total) && total.GetInt32() > nodes.Count)
        {
            return Outcome.Unsettled; // more pull requests of that name than listed, none of them ours: REST asks exactly
        }

        int? number = pull.ValueKind == JsonValueKind.Object ? pull.GetProperty("number").GetInt32() : null;
        string? url = pull.ValueKind == JsonValueKind.Object ? pull.GetProperty("url").GetString() : null;
        var baseSha = Object(comparison, "baseTarget") is { } baseTarget && baseTarget.TryGetProperty("oid", out var oid) ? oid.GetString() : null;
        var checks = Checks(headTarget, new Uri(webRoot, $"{org}/{name}/commit/{head}/checks").ToString());
        return new Outcome(true, new RepoChange(name, aheadBy, contributors, head, number, url, BaseSha: baseSha, Checks: checks));
    }

    /// <summary>
    /// The checks of the head from its <c>statusCheckRollup</c>, mapped as the REST reads map them:
    /// statuses by context (without this service's own <c>release-gate/*</c>) and check runs by name.
    /// No rollup means no checks; null (left to REST) when the rollup lists fewer contexts than it has
    /// or was not answered.
    /// </summary>
    private static RepoChecks? Checks(JsonElement headTarget, string url)
    {
        if (!headTarget.TryGetProperty("statusCheckRollup", out var rollup))
        {
            return null; // not asked or not answered
        }

        if (rollup.ValueKind == JsonValueKind.Null)
        {
            return RepoChecks.Combine([], url); // no status and no check run on the commit
        }

        if (Object(rollup, "contexts") is not { } contexts || !contexts.TryGetProperty("nodes", out var nodes) || nodes.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var listed = nodes.EnumerateArray().ToList();
        if (contexts.TryGetProperty("totalCount", out var total) && total.GetInt32() > listed.Count)
        {
            return null; // more than one page: REST reads them
        }

        var read = new List<(string, CheckState)>();
        foreach (var node in listed)
        {
            if (node.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            switch (Text(node, "__typename"))
            {
                case "StatusContext":
                    if (Text(node, "context") is { } context && !context.StartsWith(GitHubCommitReader.OwnContextPrefix, StringComparison.Ordinal))
                    {
                        read.Add((context, GitHubCommitReader.StatusState(Text(node, "state"))));
                    }

                    break;
                case "CheckRun":
                    if (Text(node, "name") is { } runName)
                    {
                        read.Add((runName, GitHubCommitReader.RunState(Text(node, "status"), Text(node, "conclusion"))));
                    }

                    break;
                default:
                    return null; // a kind of context this code does not know: REST reads them
            }
        }

        return RepoChecks.Combine(read, url);
    }

    private static string? Text(JsonElement parent, string property) =>
        parent.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool Flag(JsonElement parent, string property) =>
        parent.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.True;

    private static JsonElement? Object(JsonElement parent, string property) =>
        parent.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    /// <summary>One aliased block per repo; strings are written as JSON strings, which GraphQL reads the same way.</summary>
    public static string Query(string org, IReadOnlyList<string> repos, string sourceBranch, string destBranch)
    {
        string Text(string value) => JsonSerializer.Serialize(value);
        var query = new StringBuilder("query {\n");
        for (var i = 0; i < repos.Count; i++)
        {
            query.Append($"  r{i}: repository(owner: {Text(org)}, name: {Text(repos[i])}) {{\n");
            query.Append($"    base: ref(qualifiedName: {Text("refs/heads/" + destBranch)}) {{ compare(headRef: {Text("refs/heads/" + sourceBranch)}) ");
            query.Append($"{{ aheadBy commits(first: {CommitsListed}) {{ nodes {{ oid author {{ name user {{ login }} }} }} }} baseTarget {{ oid }} }} }}\n");
            query.Append($"    head: ref(qualifiedName: {Text("refs/heads/" + sourceBranch)}) {{ target {{ oid ... on Commit {{ statusCheckRollup {{ contexts(first: {ChecksListed}) ");
            query.Append("{ totalCount nodes { __typename ... on StatusContext { context state targetUrl } ... on CheckRun { name status conclusion detailsUrl } } } } } } }\n");
            query.Append($"    pullRequests(states: OPEN, baseRefName: {Text(destBranch)}, headRefName: {Text(sourceBranch)}, first: {PullRequestsListed}) ");
            query.Append("{ totalCount nodes { number url isCrossRepository headRepositoryOwner { login } } }\n");
            query.Append("    isArchived isDisabled\n");
            query.Append("  }\n");
        }

        return query.Append('}').ToString();
    }
}
