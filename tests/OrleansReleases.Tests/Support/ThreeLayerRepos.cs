using static OrleansReleases.Tests.Support.ApiClient;

namespace OrleansReleases.Tests.Support;

/// <summary>
/// Three changed git repositories (like <see cref="TwoChangedRepos"/>) that a release deploys in three
/// layers once <see cref="ApprovedReleaseAsync"/> declares web-app → api-service → db-service.
/// </summary>
public sealed class ThreeLayerRepos
{
    public const string Db = "db-service";
    public const string Api = "api-service";
    public const string Web = "web-app";

    private ThreeLayerRepos(string root) => Root = root;

    public string Root { get; }

    public string Source => $"Releases:Sources:LocalGit:Root={Root}";

    public static ThreeLayerRepos Create(TempFolder folder)
    {
        var root = folder.Folder("repos");
        foreach (var name in new[] { Db, Api, Web })
        {
            GitRepoBuilder.Init(root, name).Commit("Alice", "Base").Branch("uat").Checkout("uat").Commit("Alice", $"Change {name}");
        }

        return new ThreeLayerRepos(root);
    }

    /// <summary>The head of <c>uat</c> in a repo: the commit an approval covers.</summary>
    public string HeadOf(string name) => GitRepoBuilder.Open(Path.Combine(Root, name)).HeadOf("uat");

    /// <summary>Creates the release, declares the dependency chain, and has dana (Dev lead) and quinn (QA) approve it; answers its id.</summary>
    public static async Task<string> ApprovedReleaseAsync(ServiceHost host)
    {
        using var dana = await host.SignedInAsync("dana", DevLead);
        using var quinn = await host.SignedInAsync("quinn", Qa);
        var id = (string)(await dana.CreateReleaseAsync())["id"]!;
        await ExpectJsonAsync(await dana.PatchAsync($"/api/releases/{id}/repos/{Api}", new { dependsOn = new[] { Db } }), System.Net.HttpStatusCode.OK);
        await ExpectJsonAsync(await dana.PatchAsync($"/api/releases/{id}/repos/{Web}", new { dependsOn = new[] { Api } }), System.Net.HttpStatusCode.OK);
        await ExpectJsonAsync(await dana.PostAsync($"/api/releases/{id}/approve/dev"), System.Net.HttpStatusCode.OK);
        await ExpectJsonAsync(await quinn.PostAsync($"/api/releases/{id}/approve/qa"), System.Net.HttpStatusCode.OK);
        return id;
    }
}
