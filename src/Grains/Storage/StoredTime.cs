using System.Globalization;

namespace OrleansReleases.Grains.Storage;

/// <summary>
/// How times are kept in the index, history and outbox tables: ISO-8601 UTC text with milliseconds,
/// which sorts as text and reads the same in SQLite and PostgreSQL.
/// </summary>
public static class StoredTime
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string ToText(DateTime time) => time.ToUniversalTime().ToString(Format, CultureInfo.InvariantCulture);

    public static DateTime Parse(string text) =>
        DateTime.ParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}
