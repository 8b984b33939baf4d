namespace OrleansReleases.Tests.Support;

/// <summary>
/// The small world most service tests start from: a folder <c>repos</c> with two git repositories,
/// <see cref="Auth"/> and <see cref="Gateway"/>, each with a commit on <c>master</c> and one more on
/// <c>uat</c>, so a release <c>uat → master</c> lists both as changed.
/// <code>
/// var repos = TwoChangedRepos.Create(_folder);
/// using var service = await ServiceProcess.StartAsync(database, repos.Source);
/// </code>
/// </summary>
public sealed class TwoChangedRepos
{
    public const string Auth = "auth-service";
    public const string Gateway = "api-gateway";

    private TwoChangedRepos(string root)
    {
        Root = root;
    }

    /// <summary>The folder holding the two repositories (the local-git source's root).</summary>
    public string Root { get; }

    /// <summary>The repo names, as the service lists them (sorted).</summary>
    public static IReadOnlyList<string> Names { get; } = [Gateway, Auth];

    /// <summary>The setting that points the service at <see cref="Root"/>.</summary>
    public string Source => $"Releases:Sources:LocalGit:Root={Root}";

    /// <summary>Creates <paramref name="folder"/>/repos with the two changed repositories.</summary>
    public static TwoChangedRepos Create(TempFolder folder)
    {
        var root = folder.Folder("repos");
        GitRepoBuilder.Init(root, Auth).Commit("Alice", "Base").Branch("uat").Checkout("uat").Commit("Alice", "Token refresh");
        GitRepoBuilder.Init(root, Gateway).Commit("Carol", "Base").Branch("uat").Checkout("uat").Commit("Carol", "Route");
        return new TwoChangedRepos(root);
    }

    /// <summary>One of the two repositories, to change it further.</summary>
    public GitRepo Open(string name) => GitRepoBuilder.Open(Path.Combine(Root, name));
}
