using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansReleases.Grains.Sources;
using OrleansReleases.Tests.Support;

namespace OrleansReleases.Tests.Sources;

/// <summary>A repository's own config cannot make the service run a program, and warnings name repos, not paths.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class GitHardeningTests : IDisposable
{
    private readonly TempFolder _temp = TempFolder.Create();

    private string Root => _temp.Folder("repos");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_repository_whose_config_names_programs_is_compared_without_running_them()
    {
        var marker = Path.Combine(_temp.Path, "ran");
        var script = Path.Combine(_temp.Path, "evil.sh");
        await File.WriteAllTextAsync(script, $"#!/bin/sh\necho \"$0 $*\" >> '{marker}'\ncat >/dev/null\nexit 1\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var repo = GitRepoBuilder.Init(Root, "evil-service").Commit("Alice", "Initial");
        repo.Branch("uat").Checkout("uat").Commit("Bob", "Feature").Checkout("master");
        SignLookingCommitOnUat(repo);
        foreach (var (key, value) in new[]
                 {
                     ("core.pager", script), ("pager.log", script), ("core.fsmonitor", script), ("core.hooksPath", _temp.Path),
                     ("diff.external", script), ("gpg.program", script), ("log.showSignature", "true"),
                 })
        {
            GitRepoBuilder.Git(repo.Path, "config", key, value);
        }

        var result = await new LocalGitSource(Options.Create(new LocalGitOptions { Root = Root }), NullLogger<LocalGitSource>.Instance)
            .CompareAsync("uat", "master", null, CancellationToken.None);

        Assert.Equal(["evil-service"], result.Changed.Select(c => c.Name));
        Assert.False(File.Exists(marker), $"the repository's config ran a program: {(File.Exists(marker) ? await File.ReadAllTextAsync(marker) : "")}");
    }

    [Fact]
    public async Task A_broken_repo_is_a_warning_with_its_name_and_no_server_path_or_git_output()
    {
        var broken = GitRepoBuilder.Init(Root, "broken-service").Commit("Alice", "Initial");
        broken.Branch("uat").Checkout("uat").Commit("Bob", "Feature").Checkout("master");
        await File.WriteAllTextAsync(Path.Combine(broken.Path, ".git", "refs", "heads", "uat"), new string('0', 39) + "1\n");

        var result = await new LocalGitSource(Options.Create(new LocalGitOptions { Root = Root }), NullLogger<LocalGitSource>.Instance)
            .CompareAsync("uat", "master", null, CancellationToken.None);

        var warning = Assert.Single(result.Warnings);
        Assert.StartsWith("broken-service could not be compared (git failed: ", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(_temp.Path, warning, StringComparison.Ordinal);
        Assert.DoesNotContain("/", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("fatal", warning, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_missing_root_is_a_warning_without_its_path()
    {
        var missing = Path.Combine(_temp.Path, "nowhere");
        var result = await new LocalGitSource(Options.Create(new LocalGitOptions { Root = missing }), NullLogger<LocalGitSource>.Instance)
            .CompareAsync("uat", "master", null, CancellationToken.None);

        Assert.DoesNotContain(missing, Assert.Single(result.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_git_command_over_its_time_limit_is_stopped()
    {
        var repo = GitRepoBuilder.Init(Root, "slow-service").Commit("Alice", "Initial");
        // A command that never finishes on its own: only the time limit ends it.
        var started = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAsync<TimeoutException>(() =>
            GitCommand.RunAsync(repo.Path, ["-c", "alias.forever=!sleep 60", "forever"], CancellationToken.None, timeout: TimeSpan.FromMilliseconds(500)));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10));
    }

    /// <summary>Rewrites uat's head commit with a (fake) gpgsig header, so showing signatures would run gpg.program.</summary>
    private static void SignLookingCommitOnUat(GitRepo repo)
    {
        var commit = GitRepoBuilder.Git(repo.Path, "cat-file", "commit", "refs/heads/uat");
        var lines = commit.Split('\n').ToList();
        var committer = lines.FindIndex(line => line.StartsWith("committer ", StringComparison.Ordinal));
        lines.InsertRange(committer + 1, ["gpgsig -----BEGIN PGP SIGNATURE-----", " ", " iQEzBAABCAAdFiEE", " -----END PGP SIGNATURE-----"]);
        var file = Path.Combine(repo.Path, "signed-commit.txt");
        File.WriteAllText(file, string.Join('\n', lines));
        var sha = GitRepoBuilder.Git(repo.Path, "hash-object", "-t", "commit", "-w", file).Trim();
        File.Delete(file);
        GitRepoBuilder.Git(repo.Path, "update-ref", "refs/heads/uat", sha);
    }
}
