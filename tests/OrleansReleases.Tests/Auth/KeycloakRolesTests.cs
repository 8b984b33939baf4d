using System.Text;
using System.Text.Json;
using OrleansReleases.Web.Auth;

namespace OrleansReleases.Tests.Auth;

public sealed class KeycloakRolesTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public void Realm_roles_and_this_clients_roles_are_read_and_other_clients_roles_are_not()
    {
        var payload = Json("""
            { "realm_access": { "roles": ["release-qa", "offline_access"] },
              "resource_access": { "orleans-releases": { "roles": ["release-dev-lead"] },
                                   "account": { "roles": ["manage-account"] } } }
            """);

        Assert.Equal(["release-qa", "offline_access", "release-dev-lead"], KeycloakRoles.From(payload, "orleans-releases"));
    }

    [Fact]
    public void Odd_shapes_give_no_roles_rather_than_an_error()
    {
        Assert.Empty(KeycloakRoles.From(Json("""{ "realm_access": "admin", "resource_access": [1] }"""), "orleans-releases"));
        Assert.Empty(KeycloakRoles.From(Json("""{ "realm_access": { "roles": [1, null] } }"""), "orleans-releases"));
        Assert.Empty(KeycloakRoles.FromJwtPayload("opaque-access-token", "orleans-releases"));
        Assert.Empty(KeycloakRoles.FromJwtPayload("a.!!!.c", "orleans-releases"));
        Assert.Empty(KeycloakRoles.FromJwtPayload(null, "orleans-releases"));
    }

    [Fact]
    public void A_jwt_payload_is_read()
    {
        var payload = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"realm_access":{"roles":["release-qa"]}}"""))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.Equal(["release-qa"], KeycloakRoles.FromJwtPayload($"eyJhbGciOiJub25lIn0.{payload}.sig", null));
    }
}
