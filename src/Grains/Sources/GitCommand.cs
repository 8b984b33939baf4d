using System.Diagnostics;
using System.Text;

namespace OrleansReleases.Grains.Sources;

/// <summary>
/// Runs the git command line. Arguments go to git one by one (no shell), so nothing in them is
/// ever interpreted by a shell; callers pass full ref names, which git cannot take for options.
/// <para>
/// A repository's own config must not run a program: git runs without system or global config,
/// with pagers, hooks, fsmonitor, signature checks, external diffs and textconv turned off on the
/// command line (which wins over the repository's config), never asks for anything, and only the
/// repository it works in is a <c>safe.directory</c>. Each command has a time limit, after which
/// git is killed and <see cref="TimeoutException"/> thrown.
/// </para>
/// </summary>
public static class GitCommand
{
    /// <summary>The time limit of a command when the caller gives none.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Settings given on git's command line before every command; they override the repository's config.</summary>
    private static readonly string[] ProtectedSettings =
    [
        "core.pager=cat",
        "core.fsmonitor=false",
        "core.hooksPath=/dev/null",
        "core.sshCommand=false",
        "core.askPass=",
        "credential.helper=",
        "log.showSignature=false",
        "diff.external=",
        "protocol.allow=never",
        "gc.auto=0",
        "maintenance.auto=false",
    ];

    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public bool Succeeded => ExitCode == 0;
    }

    public static async Task<Result> RunAsync(string workingDirectory, IEnumerable<string> arguments,
        CancellationToken cancellationToken, string? standardInput = null, IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true, // git never reads the service's own input
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };

        start.ArgumentList.Add("--no-pager");
        // Repos may belong to another user (a mirror folder): this one repository, by name, is trusted.
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"safe.directory={Path.GetFullPath(workingDirectory).TrimEnd(Path.DirectorySeparatorChar)}");
        foreach (var setting in ProtectedSettings)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(setting);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Nothing from the service's own environment steers git (GIT_DIR, GIT_EXTERNAL_DIFF, GIT_PAGER, ...).
        foreach (var key in start.Environment.Keys.Where(key => key.StartsWith("GIT_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = OperatingSystem.IsWindows() ? "NUL" : "/dev/null";
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_PAGER"] = "cat";
        start.Environment["PAGER"] = "cat";
        start.Environment["GIT_OPTIONAL_LOCKS"] = "0";
        start.Environment["LC_ALL"] = "C";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var limit = timeout ?? DefaultTimeout;
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(limit);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("git could not be started.");
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(timer.Token);
            var error = process.StandardError.ReadToEndAsync(timer.Token);
            if (standardInput is not null)
            {
                await process.StandardInput.WriteAsync(standardInput.AsMemory(), timer.Token);
            }

            process.StandardInput.Close();

            await process.WaitForExitAsync(timer.Token);
            return new Result(process.ExitCode, await output, await error);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new TimeoutException($"git {arguments.FirstOrDefault()} took longer than {limit.TotalSeconds:0} s and was stopped");
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // it has exited meanwhile
        }
    }
}
