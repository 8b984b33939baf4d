using OrleansReleases.Fakes;

// The fake Mattermost on its own, for tests outside .NET (tests/contracts/mattermost):
//   dotnet OrleansReleases.FakeMattermost.dll --port 8065
// Prints "listening on <url>" once it answers, and stops on SIGTERM, Ctrl+C or when stdin closes
// (so it never outlives the process that started it).
var port = 0;
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--port")
    {
        port = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
    }
}

await using var fake = await FakeMattermost.StartAsync(port);
var stop = new CancellationTokenSource(); // not disposed: the exit handlers may still cancel it
using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, signal =>
{
    signal.Cancel = true; // stop below, cleanly
    stop.Cancel();
});
using var onInt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, signal =>
{
    signal.Cancel = true;
    stop.Cancel();
});
_ = Task.Run(async () =>
{
    var stdin = Console.OpenStandardInput();
    var buffer = new byte[256];
    while (await stdin.ReadAsync(buffer) > 0)
    {
    }

    stop.Cancel();
});
Console.WriteLine($"listening on {fake.Url}");
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}
