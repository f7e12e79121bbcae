using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AuthServer.Bench;

/// <summary>
/// A server (AuthServer or the HTTP floor) in its own process on a loopback port. Its output goes to a log
/// file; the SQL commands that EF Core logs there are counted, so a scenario can show what it cost the database.
/// </summary>
internal sealed class ServedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly DatabaseCommandCounter _commands = new();
    private long _introspectionsSent;
    private bool _disposed;

    private ServedProcess(Process process, StreamWriter log, Uri baseAddress)
    {
        _process = process;
        _log = log;
        BaseAddress = baseAddress;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public int Id => _process.Id;

    public static ServedProcess Start(string dll, IReadOnlyDictionary<string, string> environment, string logPath)
    {
        var port = FreeLoopbackPort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet")
        {
            // appsettings.json is read from the content root, which is the working directory: run it where it was built.
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_URLS"] = baseAddress.ToString();
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var log = new StreamWriter(logPath) { AutoFlush = true };
        return new ServedProcess(Process.Start(start)!, log, baseAddress);
    }

    public async Task WaitUntilReadyAsync(string path, TimeSpan timeout, TimeSpan? poll = null)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode}; see its log.");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(100));
        }

        throw new TimeoutException($"The server was not ready after {timeout}.");
    }

    /// <summary>Peak resident set size since the process started (VmHWM), in KiB.</summary>
    public long PeakRssKiB()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("No VmHWM in /proc status.");
    }

    public DatabaseCommandCounts Commands => _commands.Snapshot();

    /// <summary>For a resource server (the SampleApi): the introspection requests its HTTP client logged sending.</summary>
    public long IntrospectionsSent => Interlocked.Read(ref _introspectionsSent);

    /// <summary>CPU time the process has used so far (user + system), from /proc/PID/stat.</summary>
    public TimeSpan CpuTime()
    {
        // Fields after the command name, which is in parentheses and may contain spaces: utime and stime are 14 and 15.
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
    }

    // sysconf(_SC_CLK_TCK) is 100 on Linux on every architecture .NET runs on.
    private const int ClockTicksPerSecond = 100;

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            // SIGTERM: a graceful stop, as an orchestrator would do it.
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        _commands.Observe(line);
        if (line.Contains("Sending HTTP request POST", StringComparison.Ordinal) && line.Contains("/connect/introspect", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _introspectionsSent);
        }

        lock (_log)
        {
            _log.WriteLine(line);
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

internal sealed record DatabaseCommandCounts(int Total, int Writes, int ChangeFeedPolls)
{
    public DatabaseCommandCounts Since(DatabaseCommandCounts before) =>
        new(Total - before.Total, Writes - before.Writes, ChangeFeedPolls - before.ChangeFeedPolls);
}

/// <summary>
/// Reads EF Core's command log (category Microsoft.EntityFrameworkCore.Database.Command at Information): an
/// "Executed DbCommand" line, then the SQL on the following indented lines.
/// </summary>
internal sealed class DatabaseCommandCounter
{
    private readonly Lock _lock = new();
    private bool _inSql;
    private bool _firstSqlLine;
    private bool _isSelect;
    private int _total;
    private int _writes;
    private int _polls;

    public void Observe(string line)
    {
        lock (_lock)
        {
            if (line.Contains("Executed DbCommand", StringComparison.Ordinal))
            {
                _total++;
                _inSql = _firstSqlLine = true;
                return;
            }

            if (!_inSql || line.Length == 0 || !char.IsWhiteSpace(line[0]))
            {
                _inSql = false;
                return;
            }

            var sql = line.TrimStart();
            if (_firstSqlLine)
            {
                _firstSqlLine = false;
                _isSelect = sql.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase);
                if (sql.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase) ||
                    sql.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase) ||
                    sql.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase))
                {
                    _writes++;
                }
            }

            if (_isSelect && sql.Contains("\"ClientChanges\"", StringComparison.Ordinal))
            {
                _polls++;
                _isSelect = false;
            }
        }
    }

    public DatabaseCommandCounts Snapshot()
    {
        lock (_lock)
        {
            return new DatabaseCommandCounts(_total, _writes, _polls);
        }
    }
}
