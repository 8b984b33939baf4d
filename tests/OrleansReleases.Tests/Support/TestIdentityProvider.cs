using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OrleansReleases.Tests.Support;

/// <summary>
/// A tiny OpenID Connect provider on loopback, enough for bearer tokens: the discovery document and
/// a key set (one RSA key) under <see cref="Issuer"/>, and <see cref="Token"/> to sign access tokens
/// as Keycloak would (issuer, audience, <c>sub</c>, names, <c>realm_access.roles</c>). Start the
/// service with <see cref="Settings"/>.
/// <code>
/// await using var idp = await TestIdentityProvider.StartAsync();
/// await using var host = await ServiceHost.StartAsync(folder, idp.Settings);
/// client.DefaultRequestHeaders.Authorization = new("Bearer", idp.Token(sub: "42", name: "sam"));
/// </code>
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "orleans-releases";

    private readonly WebApplication _app;
    private readonly RSA _rsa;
    private readonly RsaSecurityKey _key;

    private TestIdentityProvider(WebApplication app, RSA rsa, RsaSecurityKey key, string issuer)
    {
        _app = app;
        _rsa = rsa;
        _key = key;
        Issuer = issuer;
    }

    /// <summary>The realm's issuer, e.g. <c>http://127.0.0.1:PORT/realms/test</c>.</summary>
    public string Issuer { get; }

    /// <summary>The service settings that trust this provider.</summary>
    public string[] Settings => [$"Auth:Keycloak:Issuer={Issuer}", $"Auth:Keycloak:ClientId={ClientId}", "Auth:Keycloak:ClientSecret=unused", "Auth:Keycloak:RequireHttpsMetadata=false"];

    public static async Task<TestIdentityProvider> StartAsync()
    {
        var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa) { KeyId = "test-key" };
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        TestIdentityProvider? provider = null;

        app.MapGet("/realms/test/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = provider!.Issuer,
            ["jwks_uri"] = $"{provider.Issuer}/protocol/openid-connect/certs",
            ["authorization_endpoint"] = $"{provider.Issuer}/protocol/openid-connect/auth",
            ["token_endpoint"] = $"{provider.Issuer}/protocol/openid-connect/token",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/realms/test/protocol/openid-connect/certs", () =>
        {
            var parameters = rsa.ExportParameters(includePrivateParameters: false);
            return Results.Json(new
            {
                keys = new[]
                {
                    new
                    {
                        kty = "RSA", use = "sig", alg = "RS256", kid = key.KeyId,
                        n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent),
                    },
                },
            });
        });

        await app.StartAsync();
        provider = new TestIdentityProvider(app, rsa, key, $"{app.Urls.First().TrimEnd('/')}/realms/test");
        return provider;
    }

    /// <summary>
    /// A signed access token for this service. <paramref name="sub"/> null leaves the claim out;
    /// <paramref name="name"/> is <c>preferred_username</c>, when given.
    /// </summary>
    public string Token(string? sub, string? name = null, string[]? roles = null, string? email = null, TimeSpan? lifetime = null) =>
        Sign("Bearer", sub, name, roles, email, lifetime);

    /// <summary>An ID token (Keycloak's <c>typ</c> claim <c>ID</c>) of this client: it names the person, it is not an access token.</summary>
    public string IdToken(string sub, string? name = null, string[]? roles = null) => Sign("ID", sub, name, roles, null, null);

    private string Sign(string type, string? sub, string? name, string[]? roles, string? email, TimeSpan? lifetime)
    {
        var claims = new Dictionary<string, object>
        {
            ["typ"] = type,
            ["azp"] = ClientId,
            ["realm_access"] = new Dictionary<string, object> { ["roles"] = roles ?? [] },
        };
        if (sub is not null)
        {
            claims["sub"] = sub;
        }

        if (name is not null)
        {
            claims["preferred_username"] = name;
        }

        if (email is not null)
        {
            claims["email"] = email;
        }

        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = ClientId,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? TimeSpan.FromMinutes(5)),
            Claims = claims,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _rsa.Dispose();
    }
}
