using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using OrleansReleases.Grains.Domain;
using OrleansReleases.Grains.Releases;
using OrleansReleases.Tests.Support;
using static OrleansReleases.Tests.Support.ApiClient;

namespace OrleansReleases.Tests.Http;

/// <summary>
/// A release over thousands of repos (made cheaply: straight through the grain, as a comparison
/// would hand them over): compressed answers, small live updates, search by repo name, and idle
/// releases leaving memory.
/// </summary>
public sealed class BigReleaseTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private readonly ServiceHost _host = fixture.Host;

    private static readonly Actor Creator = new("alice", [], "dev:alice");

    private async Task<string> CreateAsync(IEnumerable<string> repoNames, string source = "uat")
    {
        var repos = repoNames.Select((name, i) => new RepoChange(name, 1 + i % 3, ["Alice Moreau", "Bob Okafor"],
            Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(name))),
            i % 5 == 0 ? i : null, i % 5 == 0 ? $"https://github.com/acme/{name}/pull/{i}" : null, "github")).ToList();
        var id = ReleaseId.New();
        await _host.Service<IGrainFactory>().GetGrain<IReleaseGrain>(id).Create(new NewRelease(source, "master"), Creator, repos, []);
        return id;
    }

    private static IEnumerable<string> Services(int count, string prefix = "service") => Enumerable.Range(0, count).Select(i => $"{prefix}-{i:0000}");

    [Theory]
    [InlineData("br", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("gzip, deflate, br", "br")]
    public async Task An_answer_is_compressed_when_the_client_accepts_it_and_decodes_to_the_same_json(string accept, string expected)
    {
        var id = await CreateAsync(Services(300));
        using var alice = await _host.SignedInAsync("alice");
        var plain = await alice.Http.GetByteArrayAsync($"/api/releases/{id}");

        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/releases/{id}");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", accept);
        using var response = await alice.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([expected], response.Content.Headers.ContentEncoding);
        var compressed = await response.Content.ReadAsByteArrayAsync();
        Assert.True(compressed.Length < plain.Length / 4, $"{compressed.Length} bytes compressed of {plain.Length}");
        await using Stream decoder = expected == "br"
            ? new BrotliStream(new MemoryStream(compressed), CompressionMode.Decompress)
            : new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        var decoded = new MemoryStream();
        await decoder.CopyToAsync(decoded);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(plain), JsonNode.Parse(decoded.ToArray())));
    }

    [Fact]
    public async Task Without_accept_encoding_the_answer_is_not_compressed()
    {
        var id = await CreateAsync(Services(20));
        using var alice = await _host.SignedInAsync("alice");

        using var response = await alice.Http.GetAsync($"/api/releases/{id}");

        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task A_live_update_of_a_release_over_3000_repos_is_under_5_KB_and_names_the_changed_repo()
    {
        var id = await CreateAsync(Services(3000));
        using var alice = await _host.SignedInAsync("alice");
        var whole = await alice.Http.GetByteArrayAsync($"/api/releases/{id}");
        await using var hub = await HubListener.ConnectAsync(_host.BaseAddress, alice);
        await hub.Connection.InvokeAsync("JoinRelease", id);

        await ExpectJsonAsync(await alice.PatchAsync($"/api/releases/{id}/repos/service-0042", new { excluded = true }), HttpStatusCode.OK);

        var change = await hub.NextAsync("releaseChanged", r => (string?)r["id"] == id && (long)r["version"]! == 2);
        var size = System.Text.Encoding.UTF8.GetByteCount(change.ToJsonString());
        Assert.True(whole.Length > 500_000, $"the release itself is {whole.Length} bytes");
        Assert.True(size < 5_000, $"the live update is {size} bytes");
        Assert.Equal(3000, (int)change["repoCount"]!);
        var changed = Assert.Single(change["changedRepos"]!.AsArray())!;
        Assert.Equal("service-0042", (string?)changed["name"]);
        Assert.True((bool)changed["excluded"]!);
        Assert.Null(change["repos"]);
    }

    [Fact]
    public async Task Search_finds_a_release_by_a_repo_name_until_a_refresh_removes_that_repo()
    {
        var id = await CreateAsync(["alpha-ledger", "beta-quokka-svc", "gamma-api"]);
        var other = await CreateAsync(["delta-api"]);
        using var alice = await _host.SignedInAsync("alice");

        async Task<IReadOnlyList<string>> SearchAsync(string text) =>
            [.. (await alice.GetJsonAsync($"/api/releases?search={Uri.EscapeDataString(text)}&limit=200"))["items"]!.AsArray().Select(r => (string)r!["id"]!)];

        Assert.Equal([id], await SearchAsync("QUOKKA"));
        Assert.Contains(id, await SearchAsync("api"));
        Assert.Contains(other, await SearchAsync("api"));

        // A refresh in which beta-quokka-svc has nothing to release any more: it leaves, and no longer matches.
        var grain = _host.Service<IGrainFactory>().GetGrain<IReleaseGrain>(id);
        var kept = (await grain.Get())!.Repos.Where(r => r.Name != "beta-quokka-svc")
            .Select(r => new RepoChange(r.Name, r.CommitCount, r.Contributors, r.HeadSha, r.PrNumber, r.PrUrl, r.Source)).ToList();
        await grain.ApplyRefresh(Creator, await grain.BeginComparison(), new ComparedRepos(kept, [], []));

        Assert.Empty(await SearchAsync("quokka"));
        Assert.Contains(id, await SearchAsync("alpha-ledger"));
    }

    [Fact]
    public void Idle_release_grains_are_collected_after_the_configured_time()
    {
        var ages = _host.Service<IOptions<GrainCollectionOptions>>().Value;
        Assert.Equal(TimeSpan.FromMinutes(10), ages.ClassSpecificCollectionAge[typeof(ReleaseGrain).FullName!]);

        var configured = new GrainCollectionOptions();
        ReleaseGrainCollection.Configure(configured, TimeSpan.FromSeconds(30));
        Assert.Equal(TimeSpan.FromSeconds(30), configured.ClassSpecificCollectionAge[ReleaseGrainCollection.GrainClassKey]);
        Assert.True(configured.CollectionQuantum <= TimeSpan.FromSeconds(15));
        Assert.Equal(GrainCollectionOptions.DEFAULT_COLLECTION_QUANTUM, _host.Service<IOptions<GrainCollectionOptions>>().Value.CollectionQuantum);
    }
}
