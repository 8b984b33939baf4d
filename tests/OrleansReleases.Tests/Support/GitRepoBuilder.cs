using System.Diagnostics;

namespace OrleansReleases.Tests.Support;

/// <summary>
/// Makes real git repositories for tests with the git command line.
/// <code>
/// using var root = TempFolder.Create();
/// var repo = GitRepoBuilder.Init(root, "auth-service").Commit("Alice", "Initial");
/// repo.Branch("uat").Checkout("uat").Commit("Bob", "Add login");
/// var head = repo.HeadOf("uat");
/// var bare = repo.CloneBare(root.Folder("mirrors"), "auth-service.git");
/// </code>
/// Git runs without the machine's global or system settings, so tests see the same git everywhere.
/// </summary>
public static class GitRepoBuilder
{
    /// <summary>Creates <paramref name="parentFolder"/>/<paramref name="name"/> as a new, empty, non-bare repository.</summary>
    public static GitRepo Init(string parentFolder, string name, string initialBranch = "master")
    {
        var path = Path.Combine(parentFolder, name);
        Directory.CreateDirectory(path);
        Git(path, "init", "--quiet", "-b", initialBranch);
        return new GitRepo(path, isBare: false);
    }

    /// <inheritdoc cref="Init(string, string, string)"/>
    public static GitRepo Init(TempFolder root, string name, string initialBranch = "master") =>
        Init(root.Path, name, initialBranch);

    /// <summary>An existing repository (bare or not), for example one the code under test made.</summary>
    public static GitRepo Open(string path)
    {
        var isBare = Git(path, "rev-parse", "--is-bare-repository").Trim() == "true";
        return new GitRepo(path, isBare);
    }

    /// <summary>Runs git in <paramref name="workingDirectory"/> and returns its output; throws when git fails.</summary>
    public static string Git(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = OperatingSystem.IsWindows() ? "NUL" : "/dev/null";
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["LC_ALL"] = "C";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("git could not be started.");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"git {string.Join(' ', arguments)} failed in {workingDirectory} ({process.ExitCode}): {error.Result.Trim()}");
        }

        return output;
    }
}

/// <summary>One test repository. Methods that change it return it, so steps can be chained.</summary>
public sealed class GitRepo
{
    private static int _commitNumber;

    internal GitRepo(string path, bool isBare)
    {
        Path = path;
        IsBare = isBare;
    }

    /// <summary>The repository's folder (the work tree, or the bare repository itself).</summary>
    public string Path { get; }

    public bool IsBare { get; }

    /// <summary>The folder name, which is what <c>LocalGitSource</c> names the repo after (minus ".git").</summary>
    public string FolderName => System.IO.Path.GetFileName(Path);

    /// <summary>Commits a change on the checked-out branch, authored (and committed) by <paramref name="author"/>.</summary>
    public GitRepo Commit(string author, string message)
    {
        EnsureWorkTree();
        var number = Interlocked.Increment(ref _commitNumber);
        File.AppendAllText(System.IO.Path.Combine(Path, "changes.txt"), $"{number}: {message} ({author})\n");
        Git("add", "--all");
        var email = $"{author.Replace(' ', '.').ToLowerInvariant()}@example.com";
        Git("-c", $"user.name={author}", "-c", $"user.email={email}", "-c", "commit.gpgsign=false",
            "commit", "--quiet", "-m", message);
        return this;
    }

    /// <summary>Makes <paramref name="count"/> commits by <paramref name="author"/>.</summary>
    public GitRepo Commits(string author, int count)
    {
        for (var i = 1; i <= count; i++)
        {
            Commit(author, $"Change {i} by {author}");
        }

        return this;
    }

    /// <summary>Creates <paramref name="name"/> at the current commit; stays on the current branch.</summary>
    public GitRepo Branch(string name)
    {
        Git("branch", name);
        return this;
    }

    public GitRepo Checkout(string branch)
    {
        EnsureWorkTree();
        Git("checkout", "--quiet", branch);
        return this;
    }

    public GitRepo DeleteBranch(string name)
    {
        Git("branch", "-D", name);
        return this;
    }

    /// <summary>The full commit id <paramref name="branch"/> points at.</summary>
    public string HeadOf(string branch) => Git("rev-parse", "--verify", $"refs/heads/{branch}^{{commit}}").Trim();

    /// <summary>The local branch names, sorted.</summary>
    public IReadOnlyList<string> Branches() =>
        Git("for-each-ref", "--format=%(refname:short)", "refs/heads")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>A bare copy with every branch, in <paramref name="parentFolder"/>/<paramref name="folderName"/>.</summary>
    public GitRepo CloneBare(string parentFolder, string folderName)
    {
        var target = System.IO.Path.Combine(parentFolder, folderName);
        GitRepoBuilder.Git(parentFolder, "clone", "--quiet", "--bare", Path, target);
        return new GitRepo(target, isBare: true);
    }

    public override string ToString() => Path;

    private string Git(params string[] arguments) => GitRepoBuilder.Git(Path, arguments);

    private void EnsureWorkTree()
    {
        if (IsBare)
        {
            throw new InvalidOperationException($"{Path} is bare: build it as a normal repository, then CloneBare.");
        }
    }
}
