using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AuthServer.Tests.Infrastructure;

/// <summary>The real AuthServer binary in its own process, as a user starts it; killed on dispose.</summary>
public sealed class AuthServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private bool _disposed;

    private AuthServerProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(_output, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_error, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output => Read(_output);

    public string Error => Read(_error);

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    public static AuthServerProcess Start(IDictionary<string, string> environment, params string[] args) =>
        StartIn(AppContext.BaseDirectory, environment, args);

    /// <summary>Started from <paramref name="workingDirectory"/>, which is then its content root.</summary>
    public static AuthServerProcess StartIn(string workingDirectory, IDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AuthServer.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new AuthServerProcess(Process.Start(start)!);
    }

    /// <summary>Runs a CLI command to completion and returns its exit code and output.</summary>
    public static async Task<(int Code, string Out, string Err)> RunAsync(IDictionary<string, string> environment, params string[] args)
    {
        using var process = Start(environment, args);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process._process.WaitForExitAsync(timeout.Token);
        process._process.WaitForExit(); // flushes the redirected streams
        return (process._process.ExitCode, process.Output, process.Error);
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task WaitUntilReadyAsync(Uri baseAddress, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"AuthServer exited with {_process.ExitCode}: {Error}");
            }

            try
            {
                using var response = await http.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode)
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

            await Task.Delay(100);
        }

        throw new TimeoutException($"AuthServer was not ready after {timeout}: {Output} {Error}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the process gets no chance to finish anything.</summary>
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
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Kill();
        _process.Dispose();
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.AppendLine(line);
        }
    }

    private static string Read(StringBuilder buffer)
    {
        lock (buffer)
        {
            return buffer.ToString();
        }
    }
}
