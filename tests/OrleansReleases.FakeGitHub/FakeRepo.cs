using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace OrleansReleases.Fakes;

/// <summary>
/// A repo of the fake organisation: branches as linear histories (a branch made from another
/// shares its commits), open pull requests, and failures to inject. Changes take the fake's lock,
/// so tests may change a repo while the service reads it.
/// </summary>
public sealed class FakeRepo
{
    private readonly FakeGitHub _hub;
    private readonly Dictionary<string, List<FakeCommit>> _branches = new(StringComparer.Ordinal);
    private readonly List<FakePullRequest> _pulls = [];
    private int _failuresLeft;
    private HttpStatusCode _failureStatus;

    internal FakeRepo(FakeGitHub hub, string name, long id, string initialAuthor)
    {
        _hub = hub;
        Name = name;
        Id = id;
        _branches["master"] = [_hub.NewCommit(name, initialAuthor, null, "Initial commit")];
    }

    public string Name { get; }

    public long Id { get; }

    public bool Archived { get; set; }

    /// <summary>Disabled by GitHub (billing, a policy): listed with <c>disabled: true</c>, and 403 to every request about it.</summary>
    public bool Disabled { get; set; }

    /// <summary>Makes <paramref name="branch"/> point where <paramref name="from"/> points.</summary>
    public FakeRepo Branch(string branch, string from = "master")
    {
        lock (_hub.Lock)
        {
            _branches[branch] = [.. _branches[from]];
        }

        return this;
    }

    /// <summary>A branch with its own history, sharing no commit with any other (an "unrelated history").</summary>
    public FakeRepo Orphan(string branch, string author = "Orphan Author")
    {
        lock (_hub.Lock)
        {
            _branches[branch] = [_hub.NewCommit(Name, author, null, "Unrelated root")];
        }

        return this;
    }

    public FakeRepo DeleteBranch(string branch)
    {
        lock (_hub.Lock)
        {
            _branches.Remove(branch);
        }

        return this;
    }

    /// <summary>Adds <paramref name="count"/> commits to <paramref name="branch"/> by one author (login null: no linked GitHub user).</summary>
    public FakeRepo Commit(string branch, string author, string? login = null, int count = 1)
    {
        lock (_hub.Lock)
        {
            var commits = _branches[branch];
            for (var i = 0; i < count; i++)
            {
                commits.Add(_hub.NewCommit(Name, author, login, $"Change {commits.Count} by {author}"));
            }
        }

        return this;
    }

    /// <summary>Opens a pull request from <paramref name="head"/> into <paramref name="base"/>; returns its number.</summary>
    public int OpenPullRequest(string head, string @base, string title = "Release")
    {
        lock (_hub.Lock)
        {
            var number = _pulls.Count + 1;
            _pulls.Add(new FakePullRequest(number, head, @base, title, true));
            return number;
        }
    }

    /// <summary>
    /// Opens a pull request from the branch <paramref name="head"/> of <paramref name="forkOwner"/>'s fork
    /// into <paramref name="base"/> of this repo (the fork's branch need not exist here); returns its number.
    /// </summary>
    public int OpenPullRequestFromFork(string forkOwner, string head, string @base, string title = "From a fork")
    {
        lock (_hub.Lock)
        {
            var number = _pulls.Count + 1;
            _pulls.Add(new FakePullRequest(number, head, @base, title, true, forkOwner));
            return number;
        }
    }

    /// <summary>The next <paramref name="times"/> compare requests for this repo fail with <paramref name="status"/>.</summary>
    public FakeRepo FailNext(int times, HttpStatusCode status = HttpStatusCode.BadGateway)
    {
        lock (_hub.Lock)
        {
            _failuresLeft = times;
            _failureStatus = status;
        }

        return this;
    }

    public string HeadOf(string branch)
    {
        lock (_hub.Lock)
        {
            return _branches[branch][^1].Sha;
        }
    }

    internal IReadOnlyList<FakeCommit>? History(string branch) =>
        _branches.TryGetValue(branch, out var commits) ? commits : null;

    /// <summary>
    /// The history up to <paramref name="reference"/>: a branch's, or that of a commit named by its
    /// sha (the commits before it on a branch that has it), as a compare's base or head. Call under the fake's lock.
    /// </summary>
    internal IReadOnlyList<FakeCommit>? HistoryAt(string reference)
    {
        if (_branches.TryGetValue(reference, out var commits))
        {
            return commits;
        }

        foreach (var branch in _branches.Values)
        {
            var at = branch.FindIndex(c => c.Sha.Equals(reference, StringComparison.OrdinalIgnoreCase));
            if (at >= 0)
            {
                return branch[..(at + 1)];
            }
        }

        return null;
    }

    /// <summary>Adds one commit to <paramref name="branch"/> with the message <paramref name="message"/> (subject, blank line, body).</summary>
    public FakeRepo CommitMessage(string branch, string author, string message, string? login = null)
    {
        lock (_hub.Lock)
        {
            _branches[branch].Add(_hub.NewCommit(Name, author, login, message));
        }

        return this;
    }

    internal IEnumerable<FakePullRequest> OpenPullsAll() => _pulls.Where(p => p.Open);

    /// <summary>The commit with this sha on any branch, or null. Call under the fake's lock.</summary>
    internal FakeCommit? FindCommit(string sha) =>
        _branches.Values.SelectMany(commits => commits).FirstOrDefault(c => c.Sha.Equals(sha, StringComparison.OrdinalIgnoreCase));

    /// <summary>The head of the branch named <paramref name="reference"/>, or the commit whose sha it is. Call under the fake's lock.</summary>
    internal FakeCommit? Resolve(string reference) =>
        _branches.TryGetValue(reference, out var commits) ? commits[^1] : FindCommit(reference);

    internal HttpStatusCode? TakeFailure()
    {
        if (_failuresLeft <= 0)
        {
            return null;
        }

        _failuresLeft--;
        return _failureStatus;
    }

    internal static string ShaOf(string text) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>A pull request of a fake repo; <paramref name="ForkOwner"/> names the fork its head is on (null: this repo).</summary>
public sealed record FakePullRequest(int Number, string Head, string Base, string Title, bool Open, string? ForkOwner = null);
