namespace OrleansReleases.Tests.Support;

/// <summary>
/// A fresh, empty folder under the system temp folder, deleted with everything in it on
/// <see cref="Dispose"/>. Hold one per test class instance (xunit makes one per test).
/// </summary>
public sealed class TempFolder : IDisposable
{
    private TempFolder(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public static TempFolder Create()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "orleans-releases-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return new TempFolder(path);
    }

    /// <summary>Creates (if needed) and returns a sub-folder.</summary>
    public string Folder(string relativePath)
    {
        var path = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A path inside this folder, without creating anything.</summary>
    public string PathOf(string relativePath) => System.IO.Path.Combine(Path, relativePath);

    public override string ToString() => Path;

    public void Dispose()
    {
        if (!Directory.Exists(Path))
        {
            return;
        }

        // git marks its object files read-only, which stops Directory.Delete on Windows.
        foreach (var file in Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail a test that passed.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
