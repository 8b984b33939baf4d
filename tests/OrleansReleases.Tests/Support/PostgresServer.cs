using System.Diagnostics;
using Npgsql;

namespace OrleansReleases.Tests.Support;

/// <summary>
/// A real PostgreSQL (Debian's package) started for a test: a fresh cluster in a temporary folder,
/// listening on a free loopback port, run as the <c>postgres</c> user, stopped at the end.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private readonly string _bin;
    private readonly string _data;

    private PostgresServer(string bin, string data, int port)
    {
        _bin = bin;
        _data = data;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true";

    public static PostgresServer Start()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).Max()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("PostgreSQL is not installed: apt-get install postgresql (.ci/run does).");
        }

        var data = Path.Combine(Path.GetTempPath(), $"releases-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(data);
        Run("chown", "postgres", data);
        var port = FreePort.Next();
        AsPostgres(Path.Combine(bin, "initdb"), "-D", data, "--auth=trust", "-U", "postgres", "--no-sync");
        AsPostgres(Path.Combine(bin, "pg_ctl"), "-D", data, "-w", "-l", Path.Combine(data, "server.log"),
            "-o", $"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off", "start");
        return new PostgresServer(bin, data, port);
    }

    public void CreateDatabase(string name)
    {
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\";", connection);
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        AsPostgres(Path.Combine(_bin, "pg_ctl"), "-D", _data, "-m", "immediate", "stop");
        Directory.Delete(_data, recursive: true);
    }

    private static void AsPostgres(string program, params string[] arguments) => Run("runuser", ["-u", "postgres", "--", program, .. arguments]);

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed: {error.Result}");
        }
    }
}
