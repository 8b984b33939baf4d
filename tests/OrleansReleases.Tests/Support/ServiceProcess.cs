using System.Diagnostics;
using System.Text;

namespace OrleansReleases.Tests.Support;

/// <summary>
/// The service as its own operating-system process (the built OrleansReleases.dll), so a test can
/// kill it with SIGKILL (<c>kill -9</c>) and start it again on the same SQLite file.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Everything the process printed so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<ServiceProcess> StartAsync(string databasePath, params string[] settings)
    {
        var port = FreePort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(databasePath)!,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OrleansReleases.dll"));
        start.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        start.ArgumentList.Add($"--Releases:DatabasePath={databasePath}");
        start.ArgumentList.Add($"--Releases:Cluster:SiloPort={FreePort.Next()}");
        foreach (var setting in settings)
        {
            start.ArgumentList.Add($"--{setting}");
        }

        var process = Process.Start(start)!;
        var service = new ServiceProcess(process, new Uri($"http://127.0.0.1:{port}"));
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Collect(string? line)
        {
            if (line is null)
            {
                listening.TrySetException(new InvalidOperationException($"The service exited before it listened:\n{service.Output}"));
                return;
            }

            lock (service._output)
            {
                service._output.AppendLine(line);
            }

            if (line.Contains("Now listening on:", StringComparison.Ordinal))
            {
                listening.TrySetResult();
            }
        }

        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Collect(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var ready = await Task.WhenAny(listening.Task, Task.Delay(TimeSpan.FromSeconds(90)));
        if (ready != listening.Task)
        {
            service.Kill();
            throw new TimeoutException($"The service did not start listening within 90 s:\n{service.Output}");
        }

        await listening.Task;
        return service;
    }

    public ApiClient Client() => new(BaseAddress);

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash or <c>kill -9</c>.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
