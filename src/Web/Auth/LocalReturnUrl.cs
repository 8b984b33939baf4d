namespace OrleansReleases.Web.Auth;

/// <summary>Where sign-in may send a browser afterwards: a path of this site, never another site.</summary>
public static class LocalReturnUrl
{
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url)
        && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(char.IsControl);
}
