using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;
using OrleansReleases.Tests.Sources;
using OrleansReleases.Tests.Support;
using static OrleansReleases.Tests.Support.ApiClient;

namespace OrleansReleases.Tests.Http;

/// <summary>Silos with <c>Releases:Cluster:Certificate</c> talk TLS and admit only a silo that shows that certificate.</summary>
[Trait("Category", "Slow")] // starts PostgreSQL
public sealed class ClusterTlsTests : IDisposable
{
    private readonly TempFolder _folder = TempFolder.Create();

    [Fact]
    public async Task Silos_with_the_certificate_form_a_cluster_and_a_silo_with_another_cannot_join()
    {
        using var postgres = PostgresServer.Start();
        postgres.CreateDatabase("releases");
        var repos = _folder.Folder("repos");
        GitRepoBuilder.Init(repos, "auth-service").Commit("Alice", "Base").Branch("uat").Checkout("uat").Commit("Alice", "Change");
        using var certificate = TestCertificates.SelfSigned("orleans-releases-silo");
        using var stranger = TestCertificates.SelfSigned("orleans-releases-silo"); // same name, another key
        string[] Settings(string pfx) =>
        [
            $"Releases:Cluster:PostgreSql={postgres.ConnectionString("releases")}", $"Releases:Sources:LocalGit:Root={repos}",
            $"Releases:Cluster:Certificate={pfx}", "Releases:Cluster:CertificatePassword=s3cret",
        ];
        var pfx = TestCertificates.WritePfx(certificate, _folder.PathOf("silo.pfx"), "s3cret");

        using var first = await ServiceProcess.StartAsync(Path.Combine(_folder.Folder("a"), "unused.db"), Settings(pfx));
        using var second = await ServiceProcess.StartAsync(Path.Combine(_folder.Folder("b"), "unused.db"), Settings(pfx));
        Assert.Equal(2, await ActiveSilosAsync(postgres));

        // A change made through the first silo reaches a browser on the second: silo to silo, over TLS.
        using var alice = first.Client();
        await alice.SignInAsync("alice", DevLead);
        using var quinn = second.Client();
        await quinn.SignInAsync("quinn", Qa);
        var id = (string)(await alice.CreateReleaseAsync())["id"]!;
        await using var hub = await HubListener.ConnectAsync(second.BaseAddress, quinn);
        await hub.Connection.InvokeAsync("JoinRelease", id);
        await ExpectJsonAsync(await alice.PostAsync($"/api/releases/{id}/approve/dev"), HttpStatusCode.OK);
        var live = await hub.NextAsync("releaseChanged", r => (string?)r["id"] == id);
        Assert.Equal("alice", (string?)live["devApproval"]!["by"]);

        var strangerPfx = TestCertificates.WritePfx(stranger, _folder.PathOf("stranger.pfx"), "s3cret");
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => ServiceProcess.StartAsync(Path.Combine(_folder.Folder("c"), "unused.db"), Settings(strangerPfx)));
        Assert.Contains("RemoteCertificateValidationCallback", refused.Message); // turned away by the certificate check, not by chance
        Assert.Equal(2, await ActiveSilosAsync(postgres));
        Assert.Equal(HttpStatusCode.OK, (await quinn.GetAsync($"/api/releases/{id}")).StatusCode);
    }

    private static async Task<long> ActiveSilosAsync(PostgresServer postgres)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString("releases"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM orleansmembershiptable WHERE status = 3", connection); // 3: Active
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public void Dispose() => _folder.Dispose();
}
