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
        gravatar_id = "",
        url = $"{baseUrl}users/{login}",
        html_url = $"https://github.com/{login}",
        followers_url = $"{baseUrl}users/{login}/followers",
        following_url = $"{baseUrl}users/{login}/following{{/other_user}}",
        gists_url = $"{baseUrl}users/{login}/gists{{/gist_id}}",
        starred_url = $"{baseUrl}users/{login}/starred{{/owner}}{{/repo}}",
        subscriptions_url = $"{baseUrl}users/{login}/subscriptions",
        organizations_url = $"{baseUrl}users/{login}/orgs",
        repos_url = $"{baseUrl}users/{login}/repos",
        events_url = $"{baseUrl}users/{login}/events{{/privacy}}",
        received_events_url = $"{baseUrl}users/{login}/received_events",
        type,
        site_admin = false,
    };

    /// <summary>The API links every repository object carries (GitHub's <c>minimal-repository</c> requires them).</summary>
    private static readonly string[] RepositoryLinks =
    [
        "archive_url:/{archive_format}{/ref}", "assignees_url:/assignees{/user}", "blobs_url:/git/blobs{/sha}", "branches_url:/branches{/branch}",
        "collaborators_url:/collaborators{/collaborator}", "comments_url:/comments{/number}", "commits_url:/commits{/sha}",
        "compare_url:/compare/{base}...{head}", "contents_url:/contents/{+path}", "contributors_url:/contributors", "deployments_url:/deployments",
        "downloads_url:/downloads", "events_url:/events", "forks_url:/forks", "git_commits_url:/git/commits{/sha}", "git_refs_url:/git/refs{/sha}",
        "git_tags_url:/git/tags{/sha}", "hooks_url:/hooks", "issue_comment_url:/issues/comments{/number}", "issue_events_url:/issues/events{/number}",
        "issues_url:/issues{/number}", "keys_url:/keys{/key_id}", "labels_url:/labels{/name}", "languages_url:/languages", "merges_url:/merges",
        "milestones_url:/milestones{/number}", "notifications_url:/notifications{?since,all,participating}", "pulls_url:/pulls{/number}",
        "releases_url:/releases{/id}", "stargazers_url:/stargazers", "statuses_url:/statuses/{sha}", "subscribers_url:/subscribers",
        "subscription_url:/subscription", "tags_url:/tags", "teams_url:/teams", "trees_url:/git/trees{/sha}",
    ];

    public static object Repository(string baseUrl, string org, FakeRepo repo)
    {
        var fields = System.Text.Json.JsonSerializer.SerializeToNode(RepositoryCore(baseUrl, org, repo))!.AsObject()
            .ToDictionary(kv => kv.Key, kv => (object?)kv.Value);
        foreach (var link in RepositoryLinks)
        {
            var (name, suffix) = (link[..link.IndexOf(':')], link[(link.IndexOf(':') + 1)..]);
            fields[name] = $"{baseUrl}repos/{org}/{repo.Name}{suffix}";
        }

        return fields;
    }

    private static object RepositoryCore(string baseUrl, string org, FakeRepo repo) => new
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
        clone_url = $"https://github.com/{org}/{repo.Name}.git",
        git_url = $"git://github.com/{org}/{repo.Name}.git",
        ssh_url = $"git@github.com:{org}/{repo.Name}.git",
        svn_url = $"https://github.com/{org}/{repo.Name}",
        mirror_url = (string?)null,
        homepage = (string?)null,
        language = "C#",
        license = (object?)null,
        forks = 0,
        forks_count = 0,
        open_issues = 0,
        stargazers_count = 0,
        watchers = 0,
        watchers_count = 0,
        has_downloads = true,
        has_pages = false,
        has_projects = true,
        has_wiki = false,
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
                verification = new { verified = false, reason = "unsigned", signature = (string?)null, payload = (string?)null, verified_at = (string?)null },
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
        diff_url = $"https://github.com/{org}/{repo.Name}/pull/{pull.Number}.diff",
        patch_url = $"https://github.com/{org}/{repo.Name}/pull/{pull.Number}.patch",
        issue_url = $"{baseUrl}repos/{org}/{repo.Name}/issues/{pull.Number}",
        commits_url = $"{baseUrl}repos/{org}/{repo.Name}/pulls/{pull.Number}/commits",
        review_comments_url = $"{baseUrl}repos/{org}/{repo.Name}/pulls/{pull.Number}/comments",
        review_comment_url = $"{baseUrl}repos/{org}/{repo.Name}/pulls/comments{{/number}}",
        comments_url = $"{baseUrl}repos/{org}/{repo.Name}/issues/{pull.Number}/comments",
        statuses_url = $"{baseUrl}repos/{org}/{repo.Name}/statuses/{headSha}",
        _links = new
        {
            self = new { href = $"{baseUrl}repos/{org}/{repo.Name}/pulls/{pull.Number}" },
            html = new { href = $"https://github.com/{org}/{repo.Name}/pull/{pull.Number}" },
            issue = new { href = $"{baseUrl}repos/{org}/{repo.Name}/issues/{pull.Number}" },
            comments = new { href = $"{baseUrl}repos/{org}/{repo.Name}/issues/{pull.Number}/comments" },
            review_comments = new { href = $"{baseUrl}repos/{org}/{repo.Name}/pulls/{pull.Number}/comments" },
            review_comment = new { href = $"{baseUrl}repos/{org}/{repo.Name}/pulls/comments{{/number}}" },
            commits = new { href = $"{baseUrl}repos/{org}/{repo.Name}/pulls/{pull.Number}/commits" },
            statuses = new { href = $"{baseUrl}repos/{org}/{repo.Name}/statuses/{headSha}" },
        },
        assignee = (object?)null,
        assignees = Array.Empty<object>(),
        requested_reviewers = Array.Empty<object>(),
        requested_teams = Array.Empty<object>(),
        labels = Array.Empty<object>(),
        milestone = (object?)null,
        auto_merge = (object?)null,
        merge_commit_sha = (string?)null,
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
