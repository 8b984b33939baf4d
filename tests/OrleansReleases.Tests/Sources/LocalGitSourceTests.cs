using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Sources;
using OrleansReleases.Tests.Support;

namespace OrleansReleases.Tests.Sources;

public sealed class LocalGitSourceTests : IDisposable
{
    private readonly TempFolder _temp = TempFolder.Create();

    /// <summary>The folder the source looks in: every sub-folder is a candidate repository.</summary>
    private string Root => _temp.Folder("repos");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Commit_count_is_the_commits_on_the_source_branch_that_the_destination_lacks()
    {
        var repo = GitRepoBuilder.Init(Root, "auth-service").Commits("Alice", 2);
        repo.Branch("uat").Checkout("uat").Commits("Bob", 3);
        repo.Checkout("master").Commit("Carol", "Hotfix only on master");

        var change = Assert.Single((await CompareAsync("uat", "master")).Changed);

        Assert.Equal("auth-service", change.Name);
        Assert.Equal(3, change.CommitCount);
    }

    [Fact]
    public async Task Contributors_are_the_distinct_author_names_sorted()
    {
        var repo = GitRepoBuilder.Init(Root, "auth-service").Commit("Alice", "Initial");
        repo.Branch("uat").Checkout("uat")
            .Commit("Zoe Adams", "One")
            .Commit("Bob", "Two")
            .Commit("Zoe Adams", "Three")
            .Commit("Bob", "Four");

        var change = Assert.Single((await CompareAsync("uat", "master")).Changed);

        Assert.Equal(["Bob", "Zoe Adams"], change.Contributors);
        Assert.Equal(4, change.CommitCount);
    }

    [Fact]
    public async Task Head_sha_is_the_commit_of_the_source_branch()
    {
        var repo = GitRepoBuilder.Init(Root, "auth-service").Commit("Alice", "Initial");
        repo.Branch("uat").Checkout("uat").Commit("Bob", "Feature");
        repo.Checkout("master").Commit("Alice", "Master moves on");

        var change = Assert.Single((await CompareAsync("uat", "master")).Changed);

        Assert.Equal(repo.HeadOf("uat"), change.HeadSha);
        Assert.NotEqual(repo.HeadOf("master"), change.HeadSha);
    }

    [Fact]
    public async Task A_repo_whose_source_branch_has_nothing_new_is_left_out()
    {
        GitRepoBuilder.Init(Root, "in-sync").Commits("Alice", 2).Branch("uat");
        var behind = GitRepoBuilder.Init(Root, "uat-behind").Commit("Alice", "Initial").Branch("uat");
        behind.Commit("Bob", "Only on master");
        var ahead = GitRepoBuilder.Init(Root, "uat-ahead").Commit("Alice", "Initial");
        ahead.Branch("uat").Checkout("uat").Commit("Bob", "Only on uat");

        var result = await CompareAsync("uat", "master");

        Assert.Equal(["uat-ahead"], result.Changed.Select(c => c.Name));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public async Task A_repo_lacking_the_source_or_the_destination_branch_is_left_out_without_a_warning()
    {
        GitRepoBuilder.Init(Root, "no-uat").Commits("Alice", 2);
        GitRepoBuilder.Init(Root, "no-master", initialBranch: "uat").Commits("Bob", 2);
        GitRepoBuilder.Init(Root, "empty-repo");
        var both = GitRepoBuilder.Init(Root, "both").Commit("Alice", "Initial");
        both.Branch("uat").Checkout("uat").Commit("Bob", "Feature");

        var result = await CompareAsync("uat", "master");

        Assert.Equal(["both"], result.Changed.Select(c => c.Name));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public async Task A_bare_repo_is_compared_and_named_after_its_folder_without_dot_git()
    {
        var work = GitRepoBuilder.Init(_temp.Folder("work"), "x").Commit("Alice", "Initial");
        work.Branch("uat").Checkout("uat").Commits("Bob", 2);
        var bare = work.CloneBare(Root, "x.git");

        var change = Assert.Single((await CompareAsync("uat", "master")).Changed);

        Assert.True(bare.IsBare);
        Assert.Equal("x", change.Name);
        Assert.Equal(2, change.CommitCount);
        Assert.Equal(["Bob"], change.Contributors);
        Assert.Equal(bare.HeadOf("uat"), change.HeadSha);
    }

    [Fact]
    public async Task A_bare_repo_keeps_its_dot_git_name_when_another_folder_has_the_short_name()
    {
        var work = GitRepoBuilder.Init(Root, "x").Commit("Alice", "Initial");
        work.Branch("uat").Checkout("uat").Commit("Bob", "Change");
        work.CloneBare(Root, "x.git");

        var names = (await CompareAsync("uat", "master")).Changed.Select(c => c.Name);

        Assert.Equal(["x", "x.git"], names);
    }

    [Fact]
    public async Task A_folder_that_is_not_a_repository_is_ignored()
    {
        var notes = _temp.Folder("repos/notes");
        await File.WriteAllTextAsync(Path.Combine(notes, "README.md"), "not a repository");
        await File.WriteAllTextAsync(Path.Combine(Root, "loose-file.txt"), "not a folder");
        var repo = GitRepoBuilder.Init(Root, "auth-service").Commit("Alice", "Initial");
        repo.Branch("uat").Checkout("uat").Commit("Bob", "Feature");

        var result = await CompareAsync("uat", "master");

        Assert.Equal(["auth-service"], result.Changed.Select(c => c.Name));
        Assert.Empty(result.Warnings);
        Assert.Equal(["auth-service"], LocalGitSource.FindRepositories(Root).Select(r => r.Name));
    }

    [Fact]
    public async Task A_repo_whose_branch_points_at_a_missing_commit_is_named_in_the_warnings()
    {
        var healthy = GitRepoBuilder.Init(Root, "auth-service").Commit("Alice", "Initial");
        healthy.Branch("uat").Checkout("uat").Commit("Bob", "Feature");
        var broken = GitRepoBuilder.Init(Root, "broken-service").Commit("Alice", "Initial");
        broken.Branch("uat").Checkout("uat").Commit("Bob", "Feature").Checkout("master");
        // A damaged mirror: the uat branch exists but its commit object is gone.
        await File.WriteAllTextAsync(Path.Combine(broken.Path, ".git", "refs", "heads", "uat"), new string('0', 39) + "1\n");

        var result = await CompareAsync("uat", "master");

        Assert.Equal(["auth-service"], result.Changed.Select(c => c.Name));
        Assert.Contains(result.Warnings, w => w.Contains("broken-service", StringComparison.Ordinal));
        Assert.Equal(["broken-service"], result.Failed);
    }

    [Fact]
    public async Task Branch_names_with_a_slash_are_compared()
    {
        var repo = GitRepoBuilder.Init(Root, "auth-service").Commit("Alice", "Initial");
        repo.Branch("release/2026.11").Checkout("release/2026.11").Commit("Bob", "Feature");

        var change = Assert.Single((await CompareAsync("release/2026.11", "master")).Changed);

        Assert.Equal(repo.HeadOf("release/2026.11"), change.HeadSha);
    }

    [Fact]
    public async Task Progress_is_reported_once_per_repo_up_to_the_total()
    {
        for (var i = 1; i <= 4; i++)
        {
            GitRepoBuilder.Init(Root, $"repo-{i}").Commit("Alice", "Initial").Branch("uat");
        }

        var progress = new RecordingProgress();

        await CompareAsync("uat", "master", progress);

        var reports = progress.Reports.ToList();
        Assert.Equal(4, reports.Count);
        Assert.All(reports, r => Assert.Equal(4, r.Total));
        Assert.Equal([1, 2, 3, 4], reports.Select(r => r.Compared).Order());
    }

    [Fact]
    public async Task Thirty_repos_compared_in_parallel_each_get_their_own_result()
    {
        var expectedCommits = new Dictionary<string, int>();
        for (var i = 0; i < 30; i++)
        {
            var name = $"service-{i:D2}";
            var repo = GitRepoBuilder.Init(Root, name).Commit("Alice", "Initial");
            repo.Branch("uat").Checkout("uat");
            var commits = i % 4; // every fourth repo has nothing new
            for (var c = 0; c < commits; c++)
            {
                repo.Commit($"Dev {i}", $"Change {c}");
            }

            if (commits > 0)
            {
                expectedCommits[name] = commits;
            }
        }

        var progress = new RecordingProgress();
        var source = Source(parallelism: 8);

        var result = await source.CompareAsync("uat", "master", progress, CancellationToken.None);

        Assert.Empty(result.Warnings);
        Assert.Equal(expectedCommits.Keys.Order(StringComparer.Ordinal), result.Changed.Select(c => c.Name));
        Assert.All(result.Changed, change =>
        {
            var i = int.Parse(change.Name["service-".Length..]);
            Assert.Equal(expectedCommits[change.Name], change.CommitCount);
            Assert.Equal([$"Dev {i}"], change.Contributors);
            Assert.Equal(GitRepoBuilder.Open(Path.Combine(Root, change.Name)).HeadOf("uat"), change.HeadSha);
        });
        Assert.Equal(30, progress.Reports.Count);
        Assert.Equal(30, progress.Reports.Max(r => r.Compared));
    }

    [Fact]
    public async Task A_root_that_does_not_exist_gives_a_warning_and_no_repos()
    {
        var source = new LocalGitSource(
            Options.Create(new LocalGitOptions { Root = _temp.PathOf("missing") }), NullLogger<LocalGitSource>.Instance);

        var result = await source.CompareAsync("uat", "master", null, CancellationToken.None);

        Assert.Empty(result.Changed);
        Assert.Contains("does not exist", Assert.Single(result.Warnings));
    }

    private Task<SourceComparison> CompareAsync(string source, string dest, IProgress<CompareProgress>? progress = null) =>
        Source().CompareAsync(source, dest, progress, CancellationToken.None);

    private LocalGitSource Source(int parallelism = 4) =>
        new(Options.Create(new LocalGitOptions { Root = Root, Parallelism = parallelism }), NullLogger<LocalGitSource>.Instance);

    /// <summary>Keeps every report as it happens (unlike <see cref="Progress{T}"/>, which posts them later).</summary>
    private sealed class RecordingProgress : IProgress<CompareProgress>
    {
        public ConcurrentQueue<CompareProgress> Reports { get; } = new();

        public void Report(CompareProgress value) => Reports.Enqueue(value);
    }
}
