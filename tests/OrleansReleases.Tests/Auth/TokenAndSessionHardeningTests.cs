using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OrleansReleases.Tests.Support;
using static OrleansReleases.Tests.Support.ApiClient;

namespace OrleansReleases.Tests.Auth;

/// <summary>Only access tokens are bearer tokens; an http issuer is refused unless allowed on purpose.</summary>
public sealed class TokenHardeningTests : IAsyncLifetime
{
    private readonly TempFolder _folder = TempFolder.Create();
    private TestIdentityProvider _idp = null!;
    private ServiceHost _host = null!;

    public async Task InitializeAsync()
    {
        _idp = await TestIdentityProvider.StartAsync();
        _host = await ServiceHost.StartAsync(_folder.Folder("data"), _idp.Settings);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _idp.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    [Fact]
    public async Task An_id_token_of_this_client_is_refused_as_a_bearer_token()
    {
        using var client = new HttpClient { BaseAddress = _host.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _idp.IdToken("user-7", "sam", [DevLead]));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _idp.Token("user-7", "sam", [DevLead]));
        var me = await ExpectJsonAsync(await client.GetAsync("/api/me"), HttpStatusCode.OK);
        Assert.Equal("sam", (string?)me["name"]);
        Assert.Contains(DevLead, me["roles"]!.AsArray().Select(r => (string?)r));
    }

    [Fact]
    public async Task An_http_issuer_is_refused_at_start_up_unless_allowed_on_purpose()
    {
        var settings = _idp.Settings.Where(s => !s.StartsWith("Auth:Keycloak:RequireHttpsMetadata", StringComparison.Ordinal)).ToArray();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ServiceHost.StartAsync(_folder.Folder("other"), settings));

        Assert.StartsWith("Refusing to start", error.Message, StringComparison.Ordinal);
        Assert.Contains("Auth:Keycloak:RequireHttpsMetadata", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>A session ends at its absolute lifetime, however active, and sign-out closes hub connections (see HubHardeningTests).</summary>
public sealed class SessionLifetimeTests : IAsyncLifetime
{
    private readonly TempFolder _folder = TempFolder.Create();
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private ServiceHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await ServiceHost.StartAsync(_folder.Folder("data"),
            builder => builder.Services.PostConfigure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, o => o.TimeProvider = _clock),
            "Auth:SessionLifetime=10:00:00", "Auth:SessionMaxLifetime=12:00:00");

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    [Fact]
    public async Task An_active_session_ends_at_its_absolute_lifetime()
    {
        using var alice = await _host.SignedInAsync("alice");

        // Used every few hours, the sliding lifetime (10 h) never runs out...
        foreach (var hours in new[] { 6, 5 })
        {
            _clock.Advance(TimeSpan.FromHours(hours));
            await ExpectJsonAsync(await alice.GetAsync("/api/me"), HttpStatusCode.OK);
        }

        // ...but 12 hours after sign-in the session is over.
        _clock.Advance(TimeSpan.FromHours(1.5));
        Assert.Equal(HttpStatusCode.Unauthorized, (await alice.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await alice.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task A_session_past_its_absolute_lifetime_loses_its_hub_connection_when_it_is_refused()
    {
        using var alice = await _host.SignedInAsync("alice-hub");
        await using var hub = await HubListener.ConnectAsync(_host.BaseAddress, alice);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        _clock.Advance(TimeSpan.FromHours(9));
        await ExpectJsonAsync(await alice.GetAsync("/api/me"), HttpStatusCode.OK);
        _clock.Advance(TimeSpan.FromHours(4));
        Assert.Equal(HttpStatusCode.Unauthorized, (await alice.GetAsync("/api/me")).StatusCode);

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HubConnectionState.Disconnected, hub.Connection.State);
    }
}
