namespace OrleansReleases.Fakes;

/// <summary>
/// The JSON shapes GitHub's REST API answers with (snake_case, the fields clients read and a few
/// more), built from the fake's state. Property names are written as GitHub spells them.
/// </summary>
internal static class GitHubShapes
{
    private const string Time = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public static object User(string baseUrl, string login, long id, string type = "User") => new
    {
        login,
        id,
        node_id = $"U_{id}",
        avatar_url = $"https://avatars.githubusercontent.com/u/{id}?v=4",
        url = $"{baseUrl}users/{login}",
        html_url = $"https://github.com/{login}",
        type,
        site_admin = false,
    };

    public static object Repository(string baseUrl, string org, FakeRepo repo) => new
    {
        id = repo.Id,
        node_id = $"R_{repo.Id}",
        name = repo.Name,
        full_name = $"{org}/{repo.Name}",
        @private = true,
        owner = User(baseUrl, org, 1000, "Organization"),
        html_url = $"https://github.com/{org}/{repo.Name}",
        description = $"The {repo.Name} service",
        fork = false,
        url = $"{baseUrl}repos/{org}/{repo.Name}",
        created_at = "2024-01-01T00:00:00Z",
        updated_at = "2026-11-01T00:00:00Z",
        pushed_at = "2026-11-01T00:00:00Z",
        size = 1024,
        default_branch = "master",
        visibility = "private",
        archived = repo.Archived,
        disabled = repo.Disabled,
        open_issues_count = 0,
        has_issues = true,
        permissions = new { admin = false, maintain = false, push = true, triage = true, pull = true },
    };

    public static object Commit(string baseUrl, string org, string repo, FakeCommit commit, string? parent)
    {
        var email = $"{commit.AuthorName.ToLowerInvariant().Replace(' ', '.')}@example.com";
        var person = new { name = commit.AuthorName, email, date = commit.At.UtcDateTime.ToString(Time) };
        return new
        {
            sha = commit.Sha,
            node_id = $"C_{commit.Sha[..12]}",
            commit = new
            {
                author = person,
                committer = person,
                message = commit.Message,
                tree = new { sha = FakeRepo.ShaOf("tree" + commit.Sha), url = $"{baseUrl}repos/{org}/{repo}/git/trees/{commit.Sha}" },
                url = $"{baseUrl}repos/{org}/{repo}/git/commits/{commit.Sha}",
                comment_count = 0,
                verification = new { verified = false, reason = "unsigned", signature = (string?)null, payload = (string?)null },
            },
            url = $"{baseUrl}repos/{org}/{repo}/commits/{commit.Sha}",
            html_url = $"https://github.com/{org}/{repo}/commit/{commit.Sha}",
            comments_url = $"{baseUrl}repos/{org}/{repo}/commits/{commit.Sha}/comments",
            author = commit.Login is { } login ? User(baseUrl, login, LoginId(login)) : null,
            committer = commit.Login is { } committer ? User(baseUrl, committer, LoginId(committer)) : null,
            parents = parent is null
                ? Array.Empty<object>()
                : [new { sha = parent, url = $"{baseUrl}repos/{org}/{repo}/commits/{parent}", html_url = $"https://github.com/{org}/{repo}/commit/{parent}" }],
        };
    }

    public static object PullRequest(string baseUrl, string org, FakeRepo repo, FakePullRequest pull, string headSha, string baseSha) => new
    {
        url = $"{baseUrl}repos/{org}/{repo.Name}/pulls/{pull.Number}",
        id = repo.Id * 1000 + pull.Number,
        node_id = $"PR_{repo.Id}_{pull.Number}",
        html_url = $"https://github.com/{org}/{repo.Name}/pull/{pull.Number}",
        number = pull.Number,
        state = "open",
        locked = false,
        title = pull.Title,
        user = User(baseUrl, "release-bot", 4242),
        body = "Promote to the next stage.",
        created_at = "2026-11-20T09:00:00Z",
        updated_at = "2026-11-20T09:00:00Z",
        closed_at = (string?)null,
        merged_at = (string?)null,
        draft = false,
        head = pull.ForkOwner is { } fork
            ? new { label = $"{fork}:{pull.Head}", @ref = pull.Head, sha = headSha, user = User(baseUrl, fork, 2000, "User"), repo = Repository(baseUrl, fork, repo) }
            : new { label = $"{org}:{pull.Head}", @ref = pull.Head, sha = headSha, user = User(baseUrl, org, 1000, "Organization"), repo = Repository(baseUrl, org, repo) },
        @base = new { label = $"{org}:{pull.Base}", @ref = pull.Base, sha = baseSha, user = User(baseUrl, org, 1000, "Organization"), repo = Repository(baseUrl, org, repo) },
        author_association = "MEMBER",
    };

    /// <summary>A commit status; the combined status lists them without <c>creator</c>.</summary>
    public static object Status(string baseUrl, string org, string repo, string sha, FakeCommitStatus status, bool withCreator)
    {
        var fields = new Dictionary<string, object?>
        {
            ["url"] = $"{baseUrl}repos/{org}/{repo}/statuses/{sha}",
            ["avatar_url"] = "https://avatars.githubusercontent.com/u/4242?v=4",
            ["id"] = status.Id,
            ["node_id"] = $"SC_{status.Id}",
            ["state"] = status.State,
            ["description"] = status.Description,
            ["target_url"] = status.TargetUrl,
            ["context"] = status.Context,
            ["created_at"] = status.CreatedAt.UtcDateTime.ToString(Time),
            ["updated_at"] = status.CreatedAt.UtcDateTime.ToString(Time),
        };
        if (withCreator)
        {
            fields["creator"] = User(baseUrl, status.Creator, 4242, "Bot");
        }

        return fields;
    }

    /// <summary>A git reference (<c>GET /repos/{o}/{r}/git/ref/{ref}</c>).</summary>
    public static object GitRef(string baseUrl, string org, string repo, string reference, string sha) => new
    {
        @ref = reference,
        node_id = $"REF_{FakeRepo.ShaOf(repo + reference)[..12]}",
        url = $"{baseUrl}repos/{org}/{repo}/git/{reference}",
        @object = new { type = "commit", sha, url = $"{baseUrl}repos/{org}/{repo}/git/commits/{sha}" },
    };

    public static object Error(string message, int status) => new
    {
        message,
        documentation_url = "https://docs.github.com/rest",
        status = status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static long LoginId(string login) => 10_000 + Convert.ToInt64(FakeRepo.ShaOf(login)[..5], 16);
}
