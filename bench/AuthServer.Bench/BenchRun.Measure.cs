using System.Globalization;
using AuthServer.Signing;

namespace AuthServer.Bench;

/// <summary>Starting AuthServer processes, and a scenario's warm-up and measurement.</summary>
internal sealed partial class BenchRun
{
    /// <summary>Consecutive 1 s slices whose throughputs lie within <see cref="StableSpread"/> of their mean.</summary>
    private const int StableSlices = 3;

    private const double StableSpread = 0.05;

    private async Task<ScenarioResult> MeasureAsync(
        string id, string title, ServedProcess server, string path, string authFile, string? bodyFile, bool database, string? expect = null, string header = "Authorization")
    {
        var warmup = await WarmUntilStableAsync(server, path, authFile, bodyFile, expect, header);
        var before = server.Commands;
        var load = LoadAverage.Now();
        var cpu = server.CpuTime();
        var result = await _wrk.RunAsync(server.BaseAddress, path, authFile, bodyFile, options.Duration, expect, header);
        var scenario = ScenarioResult.From(id, title, result, server.PeakRssKiB(), database ? server.Commands.Since(before) : null, server.CpuTime() - cpu, load)
            with { Warmup = warmup };
        _log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {scenario.RequestsPerSecond:N0} req/s, p50 {scenario.P50Ms:0.00} ms, p99 {scenario.P99Ms:0.00} ms, non-2xx {scenario.Non2xx}, unexpected {scenario.Unexpected}, server CPU {scenario.ServerCpuUsPerRequest} us/req, load {load}"));
        return scenario;
    }

    /// <summary>
    /// 1 s wrk loads back to back, at least <see cref="BenchOptions.Warmup"/> in all, until the last
    /// <see cref="StableSlices"/> agree within 5% (the JIT has settled) or <see cref="BenchOptions.WarmupCap"/> is
    /// reached. The gaps between slices do not matter: tiering counts calls, not wall time.
    /// </summary>
    private async Task<WarmupResult> WarmUntilStableAsync(ServedProcess server, string path, string authFile, string? bodyFile, string? expect, string header)
    {
        var slices = new List<double>();
        var minimum = (int)options.Warmup.TotalSeconds;
        var cap = (int)options.WarmupCap.TotalSeconds;
        while (slices.Count < cap)
        {
            var slice = await _wrk.RunAsync(server.BaseAddress, path, authFile, bodyFile, TimeSpan.FromSeconds(1), expect, header);
            slices.Add(Math.Round(slice.RequestsPerSecond));
            if (slices.Count >= minimum && IsStable(slices))
            {
                break;
            }
        }

        var stable = IsStable(slices);
        _log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  warm-up {slices.Count} x 1 s ({(stable ? "stable" : "not stable at the cap")}): {string.Join(", ", slices.Select(s => s.ToString("N0", CultureInfo.InvariantCulture)))} req/s"));
        return new WarmupResult(slices.Count, stable, slices);
    }

    private static bool IsStable(List<double> slices)
    {
        if (slices.Count < StableSlices)
        {
            return false;
        }

        var last = slices[^StableSlices..];
        var mean = last.Average();
        return mean > 0 && (last.Max() - last.Min()) <= StableSpread * mean;
    }

    /// <summary>The issuer of the introspection servers: a fixed one, so that a second server accepts the first one's tokens.</summary>
    private const string FixedIssuer = "http://127.0.0.1/";

    private ServedProcess LaunchAuthServer(
        string id, ProvisionedDatabase database, string algorithm, bool fixedIssuer = false, IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>
        {
            // Development: plain HTTP from loopback, so that wrk measures AuthServer rather than TLS.
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Database__Provider"] = database.Provider.ToString(),
            ["Database__ConnectionString"] = database.ConnectionString,
            ["Signing__Algorithm"] = algorithm,
            ["Signing__CertificatesPath"] = CertificatesFolder(algorithm),
            // Every SQL command in the log, so that the run can show that tokens cost none.
            ["Logging__LogLevel__Microsoft.EntityFrameworkCore.Database.Command"] = "Information",
            // wrk sends thousands of requests per second per key: the per-key token limit would refuse them.
            ["Throttling__TokensPerKey"] = "0",
        };
        if (fixedIssuer)
        {
            // Otherwise the issuer is the request's base address, whose port is each server's own.
            environment["Tokens__Issuer"] = FixedIssuer;
        }

        foreach (var (name, value) in (settings ?? new Dictionary<string, string>()).Concat(options.ServerEnvironment))
        {
            environment[name] = value;
        }

        return ServedProcess.Start(ServerDll, environment, Path.Combine(_work, id + ".log"));
    }

    private async Task<ServedProcess> StartAuthServerAsync(
        string id, ProvisionedDatabase database, string algorithm, bool fixedIssuer = false, IReadOnlyDictionary<string, string>? settings = null)
    {
        var server = LaunchAuthServer(id, database, algorithm, fixedIssuer, settings);
        try
        {
            await server.WaitUntilReadyAsync("/health/ready", TimeSpan.FromSeconds(60));
            await FetchTokensAsync(server.BaseAddress, database.Keys.Take(1).ToList(), 1);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }
}
