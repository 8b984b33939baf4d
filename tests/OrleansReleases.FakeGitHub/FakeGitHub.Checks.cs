using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OrleansReleases.Fakes;

/// <summary>
/// CI checks, as GitHub answers them, and the webhooks that tell about them:
/// <list type="bullet">
/// <item><c>GET /repos/{o}/{r}/commits/{ref}/check-runs</c>: <c>{total_count, check_runs: [...]}</c>, the latest run per name</item>
/// <item><c>GET /repos/{o}/{r}/branches/{branch}</c>: the branch and its commit, unprotected (with the
/// <c>protection</c> and <c>protection_url</c> GitHub's schema requires); a branch name may hold '/'</item>
/// <item>tests set CI statuses (<see cref="SetStatus"/>) and check runs (<see cref="SetCheckRun"/>), and deliver the
/// <c>status</c>, <c>check_run</c> and <c>check_suite</c> webhooks in GitHub's payload shapes</item>
/// </list>
/// </summary>
public sealed partial class FakeGitHub
{
    private readonly Dictionary<string, List<FakeCheckRun>> _checkRuns = new(StringComparer.OrdinalIgnoreCase);
    private long _checkRunIds;

    /// <summary>Sets a commit status as a CI system would (the latest per context counts).</summary>
    public void SetStatus(string repo, string sha, string context, string state, string creator = "ci-bot")
    {
        lock (Lock)
        {
            KeepStatus(Repo(repo).Name, sha, new FakeCommitStatus(Interlocked.Increment(ref _statusIds), state, $"{context}: {state}",
                $"https://ci.example.com/{repo}/{sha[..7]}", context, DateTimeOffset.UtcNow, creator));
        }
    }

    /// <summary>Creates or updates the check run <paramref name="name"/> of the commit (status queued/in_progress/completed, and its conclusion).</summary>
    public FakeCheckRun SetCheckRun(string repo, string sha, string name, string status, string? conclusion = null)
    {
        lock (Lock)
        {
            var key = StatusKey(Repo(repo).Name, sha);
            if (!_checkRuns.TryGetValue(key, out var list))
            {
                _checkRuns[key] = list = [];
            }

            var id = list.FirstOrDefault(r => r.Name == name)?.Id ?? Interlocked.Increment(ref _checkRunIds);
            list.RemoveAll(r => r.Name == name);
            var run = new FakeCheckRun(id, name, status, conclusion);
            list.Add(run);
            return run;
        }
    }

    private void MapChecks(WebApplication app)
    {
        app.MapGet("/repos/{owner}/{repo}/commits/{reference}/check-runs",
            (HttpContext context, string owner, string repo, string reference) => CheckRunsAsync(context, owner, repo, reference));
        app.MapGet("/repos/{owner}/{repo}/branches/{**branch}",
            (HttpContext context, string owner, string repo, string branch) => BranchAsync(context, owner, repo, branch));
    }

    private Task CheckRunsAsync(HttpContext context, string owner, string repo, string reference) =>
        AnswerAboutCommitAsync(context, owner, repo, reference, (target, commit) =>
        {
            var runs = _checkRuns.TryGetValue(StatusKey(target.Name, commit.Sha), out var list) ? list.ToList() : [];
            return new { total_count = runs.Count, check_runs = runs.Select(r => CheckRunShape(target, commit.Sha, r)).ToList() };
        });

    private async Task BranchAsync(HttpContext context, string owner, string repo, string branch)
    {
        object answer;
        var code = 200;
        lock (Lock)
        {
            if (!owner.Equals(Organization, StringComparison.OrdinalIgnoreCase) || !_repos.TryGetValue(repo, out var target)
                || target.History(branch) is not { } history)
            {
                (code, answer) = (404, GitHubShapes.Error("Branch not found", 404));
            }
            else
            {
                var baseUrl = ApiUrl.ToString();
                answer = new
                {
                    name = branch,
                    commit = GitHubShapes.Commit(baseUrl, Organization, target.Name, history[^1], history.Count > 1 ? history[^2].Sha : null),
                    _links = new { self = $"{baseUrl}repos/{Organization}/{target.Name}/branches/{branch}", html = $"https://github.com/{Organization}/{target.Name}/tree/{branch}" },
                    @protected = false,
                    // GitHub's schema (branch-with-protection) requires these two even for an unprotected branch;
                    // its example answers them so.
                    protection = new { enabled = false, required_status_checks = new { enforcement_level = "off", contexts = Array.Empty<string>(), checks = Array.Empty<object>() } },
                    protection_url = $"{baseUrl}repos/{Organization}/{target.Name}/branches/{branch}/protection",
                };
            }
        }

        await WriteJsonAsync(context, code, answer);
    }

    private object CheckRunShape(FakeRepo repo, string sha, FakeCheckRun run) => new
    {
        id = run.Id,
        node_id = $"CR_{run.Id}",
        head_sha = sha,
        external_id = "",
        url = $"{ApiUrl}repos/{Organization}/{repo.Name}/check-runs/{run.Id}",
        html_url = $"https://github.com/{Organization}/{repo.Name}/runs/{run.Id}",
        details_url = $"https://ci.example.com/runs/{run.Id}",
        status = run.Status,
        conclusion = run.Conclusion,
        started_at = "2026-11-20T09:00:00Z",
        completed_at = run.Status == "completed" ? "2026-11-20T09:05:00Z" : null,
        output = new { title = run.Name, summary = $"{run.Name} {run.Conclusion ?? run.Status}", text = (string?)null, annotations_count = 0, annotations_url = $"{ApiUrl}repos/{Organization}/{repo.Name}/check-runs/{run.Id}/annotations" },
        name = run.Name,
        check_suite = new
        {
            id = 9000 + run.Id,
            node_id = $"CS_{9000 + run.Id}",
            head_branch = "uat",
            head_sha = sha,
            status = run.Status,
            conclusion = run.Conclusion,
            url = $"{ApiUrl}repos/{Organization}/{repo.Name}/check-suites/{9000 + run.Id}",
            before = new string('0', 40),
            after = sha,
            pull_requests = Array.Empty<object>(),
            app = App(),
            created_at = "2026-11-20T09:00:00Z",
            updated_at = "2026-11-20T09:05:00Z",
        },
        app = App(),
        pull_requests = Array.Empty<object>(),
    };

    /// <summary>Delivers a <c>status</c> webhook (GitHub's payload shape) for the commit's status in <paramref name="statusContext"/>.</summary>
    public Task<HttpResponseMessage> DeliverStatusAsync(HttpClient http, Uri hookUrl, string secret, string repo, string sha, string statusContext, string state)
    {
        var target = Repo(repo);
        var baseUrl = ApiUrl.ToString();
        object payload;
        lock (Lock)
        {
            var commit = target.Resolve(sha)!;
            payload = new
            {
                id = Interlocked.Increment(ref _statusIds),
                sha,
                name = $"{Organization}/{target.Name}",
                target_url = $"https://ci.example.com/{repo}/{sha[..7]}",
                context = statusContext,
                description = $"{statusContext}: {state}",
                state,
                commit = GitHubShapes.Commit(baseUrl, Organization, target.Name, commit, null),
                branches = Array.Empty<object>(),
                created_at = "2026-11-20T09:00:00+00:00",
                updated_at = "2026-11-20T09:00:00+00:00",
                repository = GitHubShapes.Repository(baseUrl, Organization, target),
                organization = Organisation(baseUrl),
                sender = GitHubShapes.User(baseUrl, "ci-bot", 10_002, "Bot"),
            };
        }

        return DeliverAsync(http, hookUrl, secret, "status", payload);
    }

    /// <summary>Delivers a <c>check_run</c> webhook (action <c>completed</c>, or <c>created</c> while it runs) for a run set with <see cref="SetCheckRun"/>.</summary>
    public Task<HttpResponseMessage> DeliverCheckRunAsync(HttpClient http, Uri hookUrl, string secret, string repo, string sha, FakeCheckRun run)
    {
        var target = Repo(repo);
        var baseUrl = ApiUrl.ToString();
        var payload = new
        {
            action = run.Status == "completed" ? "completed" : "created",
            check_run = CheckRunShape(target, sha, run),
            repository = GitHubShapes.Repository(baseUrl, Organization, target),
            organization = Organisation(baseUrl),
            sender = GitHubShapes.User(baseUrl, "github-actions[bot]", 41898282, "Bot"),
        };
        return DeliverAsync(http, hookUrl, secret, "check_run", payload);
    }

    /// <summary>Delivers a <c>check_suite</c> webhook (action <c>completed</c>) for the commit.</summary>
    public Task<HttpResponseMessage> DeliverCheckSuiteAsync(HttpClient http, Uri hookUrl, string secret, string repo, string sha, string conclusion)
    {
        var target = Repo(repo);
        var baseUrl = ApiUrl.ToString();
        var payload = new
        {
            action = "completed",
            check_suite = new
            {
                id = 9999,
                node_id = "CS_9999",
                head_branch = "uat",
                head_sha = sha,
                status = "completed",
                conclusion,
                url = $"{baseUrl}repos/{Organization}/{target.Name}/check-suites/9999",
                before = new string('0', 40),
                after = sha,
                pull_requests = Array.Empty<object>(),
                app = App(),
                created_at = "2026-11-20T09:00:00Z",
                updated_at = "2026-11-20T09:05:00Z",
                latest_check_runs_count = 1,
                check_runs_url = $"{baseUrl}repos/{Organization}/{target.Name}/check-suites/9999/check-runs",
                head_commit = new { id = sha, tree_id = FakeRepo.ShaOf("tree" + sha), message = "Change", timestamp = "2026-11-20T09:00:00Z", author = new { name = "CI", email = "ci@example.com" }, committer = new { name = "CI", email = "ci@example.com" } },
            },
            repository = GitHubShapes.Repository(baseUrl, Organization, target),
            organization = Organisation(baseUrl),
            sender = GitHubShapes.User(baseUrl, "github-actions[bot]", 41898282, "Bot"),
        };
        return DeliverAsync(http, hookUrl, secret, "check_suite", payload);
    }

    /// <summary>The GitHub App that runs the checks (GitHub Actions), as payloads show it.</summary>
    private object App() => new
    {
        id = 15368,
        slug = "github-actions",
        node_id = "MDM6QXBwMTUzNjg=",
        name = "GitHub Actions",
        owner = GitHubShapes.User(ApiUrl.ToString(), "github", 9919, "Organization"),
        description = "Automate your workflow from idea to production",
        external_url = "https://help.github.com/en/actions",
        html_url = "https://github.com/apps/github-actions",
        created_at = "2018-07-30T09:30:17Z",
        updated_at = "2019-12-10T19:04:12Z",
        permissions = new { actions = "write", checks = "write", contents = "write", metadata = "read", statuses = "write" },
        events = new[] { "check_run", "check_suite", "push" },
    };

    private object Organisation(string baseUrl) => new
    {
        login = Organization,
        id = 1000,
        node_id = "O_1000",
        url = $"{baseUrl}orgs/{Organization}",
        repos_url = $"{baseUrl}orgs/{Organization}/repos",
        events_url = $"{baseUrl}orgs/{Organization}/events",
        hooks_url = $"{baseUrl}orgs/{Organization}/hooks",
        issues_url = $"{baseUrl}orgs/{Organization}/issues",
        members_url = $"{baseUrl}orgs/{Organization}/members{{/member}}",
        public_members_url = $"{baseUrl}orgs/{Organization}/public_members{{/member}}",
        avatar_url = "https://avatars.githubusercontent.com/u/1000?v=4",
        description = "The fake organisation",
    };

    private static async Task<HttpResponseMessage> DeliverAsync(HttpClient http, Uri hookUrl, string secret, string eventName, object payload)
    {
        var body = JsonSerializer.Serialize(payload);
        var request = new HttpRequestMessage(HttpMethod.Post, hookUrl) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-GitHub-Event", eventName);
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add("X-GitHub-Hook-ID", "1");
        request.Headers.UserAgent.ParseAdd("GitHub-Hookshot/fake");
        request.Headers.Add("X-Hub-Signature-256", Sign(secret, body));
        return await http.SendAsync(request);
    }
}

/// <summary>A check run kept by the fake: status queued, in_progress or completed; conclusion once completed.</summary>
public sealed record FakeCheckRun(long Id, string Name, string Status, string? Conclusion);
