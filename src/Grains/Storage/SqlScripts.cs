namespace OrleansReleases.Grains.Storage;

/// <summary>The SQL files under Storage/Sql, embedded in the assembly.</summary>
internal static class SqlScripts
{
    public static string Read(string fileName)
    {
        var assembly = typeof(SqlScripts).Assembly;
        using var stream = assembly.GetManifestResourceStream($"OrleansReleases.Grains.Storage.Sql.{fileName}")
            ?? throw new InvalidOperationException($"Embedded SQL script {fileName} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
