using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OrleansReleases.Web.Problems;

namespace OrleansReleases.Web.Auth;

/// <summary>
/// Sign-in through the identity provider: <c>/auth/login</c> starts the code flow (the provider
/// redirects back to <c>/auth/callback</c>, which the OpenID Connect handler serves), and
/// <c>/auth/logout</c> ends both the session here and the one at the provider.
/// </summary>
public static class SingleSignOnEndpoints
{
    public static IEndpointRouteBuilder MapSingleSignOn(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/auth").ExcludeFromDescription();
        auth.MapGet("/login", Login);
        auth.MapGet("/logout", Logout);
        return app;
    }

    private static Results<ChallengeHttpResult, ProblemHttpResult> Login(string? returnUrl)
    {
        returnUrl ??= "/";
        if (!LocalReturnUrl.IsLocal(returnUrl))
        {
            return ReleaseProblems.Problem(StatusCodes.Status400BadRequest, "Invalid returnUrl",
                "returnUrl must be a path of this site, such as /releases.");
        }

        return TypedResults.Challenge(new AuthenticationProperties { RedirectUri = returnUrl },
            [OpenIdConnectDefaults.AuthenticationScheme]);
    }

    /// <summary>
    /// Clears the cookie, then sends the browser to the provider's end-session endpoint with the
    /// id token as <c>id_token_hint</c>; the provider sends it back to <c>/auth/signed-out</c>, then to <c>/</c>.
    /// </summary>
    private static SignOutHttpResult Logout() =>
        TypedResults.SignOut(new AuthenticationProperties { RedirectUri = "/" },
            [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]);
}
