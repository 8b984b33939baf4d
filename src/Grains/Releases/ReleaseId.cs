using System.Security.Cryptography;

namespace OrleansReleases.Grains.Releases;

/// <summary>Release ids: short, random, URL-safe, hard to guess.</summary>
public static class ReleaseId
{
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
    private const int Length = 10;

    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>Whether <paramref name="id"/> could be a release id; anything else is 404 without waking a grain.</summary>
    public static bool IsWellFormed(string? id) =>
        id is { Length: > 0 and <= 64 } && id.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-');
}
