using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OrleansReleases.Fakes;

/// <summary>
/// Commit statuses, as GitHub keeps them: by repo and commit sha, every status kept, the latest per
/// context counting.
/// <list type="bullet">
/// <item><c>POST /repos/{o}/{r}/statuses/{sha}</c>: body <c>{state, target_url, description, context}</c>;
/// 201 with the Status; 422 for a state other than error|failure|pending|success, a description over
/// 140 characters, or a sha the repo does not have</item>
/// <item><c>GET /repos/{o}/{r}/commits/{ref}/status</c>: the combined status (<c>state</c> failure if any
/// latest status is error or failure, pending if any is pending or there is none, else success)</item>
/// <item><c>GET /repos/{o}/{r}/commits/{ref}/statuses</c>: every status, newest first</item>
/// </list>
/// Tests can hold status POSTs (the caller may die meanwhile), fail the next ones, and wait for a
/// change without sleeping.
/// </summary>
public sealed partial class FakeGitHub
{
    private static readonly HashSet<string> StatusStates = ["error", "failure", "pending", "success"];

    private readonly Dictionary<string, List<FakeCommitStatus>> _statuses = new(StringComparer.OrdinalIgnoreCase);
    private long _statusIds;
    private int _statusFailuresLeft;
    private HttpStatusCode _statusFailure;
    private TaskCompletionSource? _holdStatuses;
    private bool _applyBeforeHolding;
    private int _heldStatusPosts;
    private TaskCompletionSource _statusChange = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Status POSTs that reached the hold (see <see cref="HoldStatusPosts"/>).</summary>
    public int HeldStatusPosts => Volatile.Read(ref _heldStatusPosts);

    /// <summary>Statuses created so far, over every repo.</summary>
    public int StatusesCreated
    {
        get { lock (Lock) { return _statuses.Values.Sum(list => list.Count); } }
    }

    /// <summary>
    /// Status POSTs hang until <see cref="ReleaseStatusPosts"/>; with <paramref name="applyFirst"/> the
    /// status is created before hanging (GitHub did it, the caller never heard).
    /// </summary>
    public void HoldStatusPosts(bool applyFirst = false)
    {
        lock (Lock)
        {
            _applyBeforeHolding = applyFirst;
            _holdStatuses = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void ReleaseStatusPosts()
    {
        TaskCompletionSource? hold;
        lock (Lock)
        {
            hold = _holdStatuses;
            _holdStatuses = null;
        }

        hold?.TrySetResult();
    }

    /// <summary>The next <paramref name="times"/> status POSTs fail with <paramref name="status"/> (and create nothing).</summary>
    public void FailNextStatusPosts(int times, HttpStatusCode status = HttpStatusCode.BadGateway)
    {
        lock (Lock)
        {
            _statusFailuresLeft = times;
            _statusFailure = status;
        }
    }

    /// <summary>Every status of the commit, oldest first.</summary>
    public IReadOnlyList<FakeCommitStatus> Statuses(string repo, string sha)
    {
        lock (Lock)
        {
            return _statuses.TryGetValue(StatusKey(repo, sha), out var list) ? [.. list] : [];
        }
    }

    /// <summary>The latest status of the commit in <paramref name="context"/>, or null.</summary>
    public FakeCommitStatus? LatestStatus(string repo, string sha, string context) =>
        Statuses(repo, sha).LastOrDefault(s => s.Context.Equals(context, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Waits until <paramref name="condition"/> holds, checking it after every status change (no
    /// polling interval); fails after <paramref name="timeout"/> (20 s by default) naming <paramref name="what"/>.
    /// </summary>
    public async Task WaitForStatusesAsync(Func<FakeGitHub, bool> condition, string what, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            Task changed;
            lock (Lock)
            {
                changed = _statusChange.Task;
            }

            if (condition(this))
            {
                return;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out waiting for {what}. Requests:\n{string.Join('\n', RequestLog.TakeLast(40))}");
            }
        }
    }

    private void MapCommitStatuses(WebApplication app)
    {
        app.MapPost("/repos/{owner}/{repo}/statuses/{sha}", CreateStatusAsync);
        app.MapGet("/repos/{owner}/{repo}/commits/{reference}/status", CombinedStatusAsync);
        app.MapGet("/repos/{owner}/{repo}/commits/{reference}/statuses", ListStatusesAsync);
    }

    private static string StatusKey(string repo, string sha) => $"{repo}/{sha}";

    private void StatusChanged()
    {
        TaskCompletionSource done;
        lock (Lock)
        {
            done = _statusChange;
            _statusChange = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        done.TrySetResult();
    }

    private async Task CreateStatusAsync(HttpContext context, string owner, string repo, string sha)
    {
        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            await WriteJsonAsync(context, 400, GitHubShapes.Error("Problems parsing JSON", 400));
            return;
        }

        string? Text(string name) => body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var state = Text("state");
        var description = Text("description");
        var targetUrl = Text("target_url");
        var statusContext = Text("context") ?? "default";

        TaskCompletionSource? hold;
        bool applyFirst;
        HttpStatusCode? failure = null;
        lock (Lock)
        {
            hold = _holdStatuses;
            applyFirst = _applyBeforeHolding;
            if (_statusFailuresLeft > 0)
            {
                _statusFailuresLeft--;
                failure = _statusFailure;
            }
        }

        if (failure is { } failed)
        {
            await WriteJsonAsync(context, (int)failed, GitHubShapes.Error("Server Error", (int)failed));
            StatusChanged();
            return;
        }

        var (code, answer) = AddStatus(owner, repo, sha, state, description, targetUrl, statusContext, apply: hold is null || applyFirst);
        if (hold is not null)
        {
            Interlocked.Increment(ref _heldStatusPosts);
            StatusChanged();
            await hold.Task.WaitAsync(context.RequestAborted); // hangs: the caller may die meanwhile
            if (!applyFirst)
            {
                (code, answer) = AddStatus(owner, repo, sha, state, description, targetUrl, statusContext, apply: true);
            }
        }

        await WriteJsonAsync(context, code, answer);
        StatusChanged();
    }

    private (int Status, object Answer) AddStatus(string owner, string repo, string sha, string? state, string? description,
        string? targetUrl, string statusContext, bool apply)
    {
        lock (Lock)
        {
            if (!owner.Equals(Organization, StringComparison.OrdinalIgnoreCase) || !_repos.TryGetValue(repo, out var target))
            {
                return (404, GitHubShapes.Error("Not Found", 404));
            }

            if (state is null || !StatusStates.Contains(state))
            {
                return (422, ValidationFailed("state", state is null ? "missing_field" : "invalid",
                    "state is not included in the list"));
            }

            if (description is { Length: > 140 })
            {
                return (422, ValidationFailed("description", "custom", "description is too long (maximum is 140 characters)"));
            }

            if (target.FindCommit(sha) is not { } commit)
            {
                return (422, GitHubShapes.Error($"No commit found for SHA: {sha}", 422));
            }

            var now = DateTimeOffset.UtcNow;
            var status = new FakeCommitStatus(Interlocked.Increment(ref _statusIds), state, description, targetUrl, statusContext, now, "release-bot");
            if (apply)
            {
                KeepStatus(target.Name, commit.Sha, status);
            }

            return (201, GitHubShapes.Status(ApiUrl.ToString(), Organization, target.Name, commit.Sha, status, withCreator: true));
        }
    }

    private Task CombinedStatusAsync(HttpContext context, string owner, string repo, string reference) =>
        AnswerAboutCommitAsync(context, owner, repo, reference, (target, commit) =>
        {
            var latest = StatusesOf(target, commit).GroupBy(s => s.Context, StringComparer.OrdinalIgnoreCase).Select(g => g.Last())
                .OrderByDescending(s => s.Id).ToList();
            var baseUrl = ApiUrl.ToString();
            return new
            {
                state = CombinedState(latest),
                statuses = latest.Select(s => GitHubShapes.Status(baseUrl, Organization, target.Name, commit.Sha, s, withCreator: false)).ToList(),
                sha = commit.Sha,
                total_count = latest.Count,
                repository = GitHubShapes.Repository(baseUrl, Organization, target),
                commit_url = $"{baseUrl}repos/{Organization}/{target.Name}/commits/{commit.Sha}",
                url = $"{baseUrl}repos/{Organization}/{target.Name}/commits/{commit.Sha}/status",
            };
        });

    private Task ListStatusesAsync(HttpContext context, string owner, string repo, string reference) =>
        AnswerAboutCommitAsync(context, owner, repo, reference, (target, commit) =>
            StatusesOf(target, commit).AsEnumerable().Reverse()
                .Select(s => GitHubShapes.Status(ApiUrl.ToString(), Organization, target.Name, commit.Sha, s, withCreator: true)).ToList());

    /// <summary>
    /// Answers a GET about one commit of a repo: GitHub's 404 when the owner, the repo or the ref is
    /// unknown, else what <paramref name="answer"/> makes of the repo and the commit (under the fake's lock).
    /// </summary>
    private async Task AnswerAboutCommitAsync(HttpContext context, string owner, string repo, string reference, Func<FakeRepo, FakeCommit, object> answer)
    {
        object body;
        var code = 200;
        lock (Lock)
        {
            if (!owner.Equals(Organization, StringComparison.OrdinalIgnoreCase) || !_repos.TryGetValue(repo, out var target)
                || target.Resolve(reference) is not { } commit)
            {
                (code, body) = (404, GitHubShapes.Error("Not Found", 404));
            }
            else
            {
                body = answer(target, commit);
            }
        }

        await WriteJsonAsync(context, code, body);
    }

    /// <summary>Every status of the commit, oldest first (the caller holds the lock).</summary>
    private List<FakeCommitStatus> StatusesOf(FakeRepo repo, FakeCommit commit) =>
        _statuses.TryGetValue(StatusKey(repo.Name, commit.Sha), out var list) ? list : [];

    /// <summary>Keeps a status of the commit (the caller holds the lock).</summary>
    private void KeepStatus(string repo, string sha, FakeCommitStatus status)
    {
        var key = StatusKey(repo, sha);
        if (!_statuses.TryGetValue(key, out var list))
        {
            _statuses[key] = list = [];
        }

        list.Add(status);
    }

    /// <summary>GitHub's rule for the combined state of a commit's latest statuses.</summary>
    public static string CombinedState(IReadOnlyCollection<FakeCommitStatus> latest) =>
        latest.Any(s => s.State is "error" or "failure") ? "failure"
        : latest.Count == 0 || latest.Any(s => s.State == "pending") ? "pending"
        : "success";

    private static object ValidationFailed(string field, string code, string message) => new
    {
        message = "Validation Failed",
        errors = new[] { new { resource = "Status", field, code, message } },
        documentation_url = "https://docs.github.com/rest/commits/statuses#create-a-commit-status",
        status = "422",
    };
}

/// <summary>One commit status kept by the fake.</summary>
public sealed record FakeCommitStatus(long Id, string State, string? Description, string? TargetUrl, string Context,
    DateTimeOffset CreatedAt, string Creator);
