using OrleansReleases.Silo.Hosting;

// OrleansReleases: the silo and the web host in one process. See README.md for the settings.
try
{
    var app = await ReleasesApplication.BuildAsync(args);
    await app.RunAsync();
    return 0;
}
catch (InvalidOperationException ex) when (ex.Message.StartsWith(ReleasesApplication.StartRefusal, StringComparison.Ordinal))
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}
