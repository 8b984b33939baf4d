using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using static OrleansReleases.Tests.Support.ApiClient;

namespace OrleansReleases.Tests.Auth;

/// <summary>
/// People are identities, not names: single sign-on ids are the token's issuer and <c>sub</c>, so
/// one person under two names is one person, and separation of duties compares ids. The service
/// trusts a provider on loopback (<see cref="TestIdentityProvider"/>) and takes its bearer tokens.
/// </summary>
public sealed class IdentityTests : IAsyncLifetime
{
    private static readonly string[] BothRoles = [DevLead, Qa];

    private readonly TempFolder _folder = TempFolder.Create();
    private TestIdentityProvider _idp = null!;
    private ServiceHost _host = null!;

    public async Task InitializeAsync()
    {
        var repos = TwoChangedRepos.Create(_folder);
        _idp = await TestIdentityProvider.StartAsync();
        _host = await ServiceHost.StartAsync(_folder.Folder("data"), [repos.Source, .. _idp.Settings]);
    }

    private HttpClient Bearer(string token)
    {
        var client = new HttpClient { BaseAddress = _host.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private async Task<string> CreateReleaseAsync(HttpClient client) =>
        (string)(await ExpectJsonAsync(await client.PostAsJsonAsync("/api/releases", new { sourceBranch = "uat", destBranch = "master" }),
            HttpStatusCode.Created))["id"]!;

    [Fact]
    public async Task Two_bearer_tokens_with_the_same_sub_and_different_names_cannot_give_both_approvals()
    {
        using var asSam = Bearer(_idp.Token(sub: "user-42", name: "sam", roles: BothRoles));
        using var asSamuel = Bearer(_idp.Token(sub: "user-42", name: "samuel.smith", roles: BothRoles)); // same person, another name
        var id = await CreateReleaseAsync(asSam);

        var approved = await ExpectJsonAsync(await asSam.PostAsync($"/api/releases/{id}/approve/dev", null), HttpStatusCode.OK);
        Assert.Equal("sam", (string?)approved["devApproval"]!["by"]);
        Assert.Equal($"{_idp.Issuer}|user-42", (string?)approved["devApproval"]!["byId"]);

        var refused = await ExpectProblemAsync(await asSamuel.PostAsync($"/api/releases/{id}/approve/qa", null), HttpStatusCode.Conflict);
        Assert.Contains("both approvals", (string?)refused["detail"]);

        // Another person who happens to be called sam too is someone else.
        using var otherSam = Bearer(_idp.Token(sub: "user-43", name: "sam", roles: BothRoles));
        var release = await ExpectJsonAsync(await otherSam.PostAsync($"/api/releases/{id}/approve/qa", null), HttpStatusCode.OK);
        Assert.Equal("approved", (string?)release["status"]);
        Assert.Equal($"{_idp.Issuer}|user-42", (string?)release["createdById"]);

        var history = (await ExpectJsonAsync(await asSam.GetAsync($"/api/releases/{id}/history"), HttpStatusCode.OK)).AsArray();
        Assert.Equal([("sam", $"{_idp.Issuer}|user-42"), ("sam", $"{_idp.Issuer}|user-42"), ("sam", $"{_idp.Issuer}|user-43")],
            history.Select(h => ((string)h!["actor"]!, (string)h["actorId"]!)));
    }

    [Fact]
    public async Task Me_answers_the_id_of_a_bearer_token()
    {
        using var client = Bearer(_idp.Token(sub: "svc-7", name: "service-account-ci", email: "ci@example.com"));

        var me = await ExpectJsonAsync(await client.GetAsync("/api/me"), HttpStatusCode.OK);

        Assert.Equal("service-account-ci", (string?)me["name"]);
        Assert.Equal($"{_idp.Issuer}|svc-7", (string?)me["id"]);
        Assert.Equal("ci@example.com", (string?)me["email"]);
    }

    [Fact]
    public async Task A_bearer_token_without_sub_is_refused()
    {
        using var client = Bearer(_idp.Token(sub: null, name: "nobody", roles: BothRoles));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/releases", new { sourceBranch = "uat", destBranch = "master" })).StatusCode);
    }

    [Fact]
    public async Task A_token_of_another_issuer_is_refused()
    {
        await using var stranger = await TestIdentityProvider.StartAsync(); // same realm path, another port and key
        using var client = Bearer(stranger.Token(sub: "user-42", name: "sam", roles: BothRoles));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _idp.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}

/// <summary>The development login's ids, and <c>Auth:SeparationOfDuties=false</c> for teams of one.</summary>
public sealed class DevelopmentIdentityTests : IDisposable
{
    private readonly TempFolder _folder = TempFolder.Create();

    [Fact]
    public async Task With_separation_of_duties_off_one_person_gives_both_approvals_and_the_history_says_so()
    {
        var repos = TwoChangedRepos.Create(_folder);
        await using var host = await ServiceHost.StartAsync(_folder.Folder("data"), repos.Source, "Auth:SeparationOfDuties=false");
        using var sam = await host.SignedInAsync("sam", BothRoles());
        Assert.Equal("dev:sam", (string?)(await sam.GetJsonAsync("/api/me"))["id"]);
        var id = (string)(await sam.CreateReleaseAsync())["id"]!;

        await ExpectJsonAsync(await sam.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.OK);
        var release = await ExpectJsonAsync(await sam.PostAsync($"/api/releases/{id}/approve/qa"), HttpStatusCode.OK);

        Assert.Equal("approved", (string?)release["status"]);
        Assert.Equal("dev:sam", (string?)release["qaApproval"]!["byId"]);
        var last = (await sam.GetJsonAsync($"/api/releases/{id}/history")).AsArray()[^1]!;
        Assert.Equal("dev:sam", (string?)last["actorId"]);
        Assert.Contains("separation of duties is off: one person holds both approvals", (string?)last["detail"]);
    }

    private static string[] BothRoles() => [DevLead, Qa];

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
