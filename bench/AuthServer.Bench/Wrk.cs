using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace AuthServer.Bench;

internal sealed record WrkLatency(double Mean, long P50, long P90, long P99, long Max);

/// <summary>What form.lua's done() prints. Latencies in microseconds; <see cref="PerSecond"/> only when an origin was given.</summary>
internal sealed record WrkResult(
    long Requests, long DurationUs, long Bytes, long Non200, long Unexpected, long SocketErrors, long Timeouts, WrkLatency LatencyUs,
    IReadOnlyList<long>? PerSecond = null)
{
    public double RequestsPerSecond => Requests / (DurationUs / 1e6);
}

/// <summary>One load of wrk with form.lua. The same threads and connections for every scenario and the floor.</summary>
internal sealed class Wrk(int threads, int connections)
{
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "form.lua");
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Describe => $"wrk -t{threads} -c{connections}";

    /// <param name="bodyFile">Null: GET requests without a body, the credential in <paramref name="header"/>.</param>
    /// <param name="origin">A <see cref="Stopwatch"/> timestamp: answers are also counted per second since then.</param>
    public async Task<WrkResult> RunAsync(
        Uri server, string path, string authFile, string? bodyFile, TimeSpan duration, string? expect = null, string header = "Authorization", long? origin = null)
    {
        var start = new ProcessStartInfo("wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "-t", threads.ToString(CultureInfo.InvariantCulture),
                     "-c", connections.ToString(CultureInfo.InvariantCulture),
                     "-d", $"{(int)Math.Ceiling(duration.TotalSeconds)}s",
                     "--timeout", "10s",
                     "-s", Script,
                     server.ToString(),
                 })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["BENCH_PATH"] = path;
        start.Environment["BENCH_AUTH_FILE"] = authFile;
        if (bodyFile is not null)
        {
            start.Environment["BENCH_BODY_FILE"] = bodyFile;
        }
        else
        {
            start.Environment["BENCH_METHOD"] = "GET";
        }

        start.Environment["BENCH_HEADER"] = header;
        start.Environment["BENCH_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
        if (expect is not null)
        {
            start.Environment["BENCH_EXPECT"] = expect;
        }

        if (origin is { } timestamp)
        {
            // On Linux a Stopwatch timestamp is CLOCK_MONOTONIC, the clock form.lua reads.
            var nanoseconds = (long)(timestamp * (1e9 / Stopwatch.Frequency));
            start.Environment["BENCH_ORIGIN_NS"] = nanoseconds.ToString(CultureInfo.InvariantCulture);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var line = (await output).Split('\n').FirstOrDefault(l => l.StartsWith("BENCH_JSON ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk printed no result (exit {process.ExitCode}): {await error}{await output}");
        return JsonSerializer.Deserialize<WrkResult>(line["BENCH_JSON ".Length..], Json)!;
    }
}
