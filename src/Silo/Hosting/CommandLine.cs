namespace OrleansReleases.Silo.Hosting;

/// <summary>Flags without a value that the standard configuration command line cannot read.</summary>
public static class CommandLine
{
    /// <summary><c>--demo</c> becomes <c>--Releases:Demo=true</c>; everything else passes through.</summary>
    public static string[] Normalize(string[] args) =>
        args.Select(arg => arg == "--demo" ? "--Releases:Demo=true" : arg).ToArray();
}
