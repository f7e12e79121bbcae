using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AuthServer.Bench;

/// <summary>
/// A throwaway PostgreSQL 15 cluster in a temporary folder, on a free loopback port, stopped and deleted at the
/// end. Run as the 'postgres' system user when the bench runs as root (initdb refuses root). fsync is off: the
/// cluster holds only benchmark data, and only provisioning writes to it.
/// </summary>
internal sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string _folder;
    private readonly string _bin;

    private PostgresCluster(string folder, string bin, int port)
    {
        _folder = folder;
        _bin = bin;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Maximum Pool Size=32";

    public static async Task<PostgresCluster> StartAsync(TextWriter log)
    {
        var bin = FindBin();
        // Its own temporary folder (not inside the run's private work folder), owned by the user that runs PostgreSQL.
        var folder = Directory.CreateTempSubdirectory("authserver-bench-pg-").FullName;
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", folder]);
        }

        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var cluster = new PostgresCluster(folder, bin, port);
        await AsOwnerAsync(Path.Combine(bin, "initdb"), ["-D", Path.Combine(folder, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8"]);
        await AsOwnerAsync(Path.Combine(bin, "pg_ctl"), [
            "-D", Path.Combine(folder, "data"), "-l", Path.Combine(folder, "server.log"), "-w", "start",
            "-o", $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
        ]);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PostgreSQL 15 started on 127.0.0.1:{port} ({folder})"));
        return cluster;
    }

    public async ValueTask DisposeAsync()
    {
        await AsOwnerAsync(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_folder, "data"), "-m", "fast", "-w", "stop"]);
        Directory.Delete(_folder, recursive: true);
    }

    private static Task AsOwnerAsync(string program, string[] args) =>
        Environment.UserName == "root" ? RunAsync("runuser", ["-u", "postgres", "--", program, .. args]) : RunAsync(program, args);

    private static string FindBin()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        foreach (var candidate in path.Prepend("/usr/lib/postgresql/15/bin"))
        {
            if (File.Exists(Path.Combine(candidate, "initdb")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("PostgreSQL 15 (initdb, pg_ctl) not found: apt-get install postgresql-15.");
    }

    private static async Task RunAsync(string program, string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {await error}{await output}");
        }
    }
}
