using System.Buffers.Text;
using System.Text;

namespace OrleansReleases.Grains.Storage;

/// <summary>
/// The opaque <c>cursor</c> of the release list: the position (created time and id) of the last
/// release of the previous page, so pages stay stable while new releases arrive.
/// </summary>
public static class ReleaseCursor
{
    public static string Format(string createdAt, string id) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{createdAt}|{id}"));

    public static bool IsValid(string? cursor) => cursor is null || TryParse(cursor, out _);

    public static bool TryParse(string? cursor, out (string CreatedAt, string Id) position)
    {
        position = default;
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 200)
        {
            return false;
        }

        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('|');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                return false;
            }

            position = (parts[0], parts[1]);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
