using System.Diagnostics;
using System.Globalization;

namespace AuthServer.Bench;

/// <summary>
/// Time to full speed: a fresh AuthServer process, loaded by wrk from the moment it reports ready, its answers
/// counted per second (form.lua, from wrk's own threads: the load generator is the same C program as in the other
/// scenarios, so its cost does not change while the server warms up, as a .NET client's JIT would).
/// </summary>
internal sealed partial class BenchRun
{
    private async Task RunTokenStartupAsync(string id, string title, ProvisionedDatabase database, string algorithm) =>
        await RunStartupAsync(id, title, database, algorithm, TokenPath, AuthFile("small"), TokenBodyFile(), expect: null, fixedIssuer: false);

    private async Task RunStartupAsync(
        string id, string title, ProvisionedDatabase database, string algorithm, string path, string authFile, string bodyFile, string? expect, bool fixedIssuer)
    {
        _log.WriteLine($"{title} from start ({options.StartupDuration.TotalSeconds:0} s) ...");
        var launched = Stopwatch.GetTimestamp();
        await using var server = LaunchAuthServer(id, database, algorithm, fixedIssuer);
        await server.WaitUntilReadyAsync("/health/ready", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(10));
        var ready = Stopwatch.GetElapsedTime(launched);
        var cpuAtReady = server.CpuTime();
        var origin = Stopwatch.GetTimestamp();
        var result = await _wrk.RunAsync(server.BaseAddress, path, authFile, bodyFile, options.StartupDuration, expect, origin: origin);
        var startup = StartupResult.From(id, $"{title} from start", ready, cpuAtReady, result, (int)options.StartupDuration.TotalSeconds);
        _startups.Add(startup);
        var c = CultureInfo.InvariantCulture;
        _log.WriteLine(string.Create(c,
            $"  ready after {startup.ReadySeconds:0.00} s ({startup.CpuSecondsToReady:0.00} s CPU); per second: {string.Join(", ", startup.PerSecond.Select(n => n.ToString("N0", c)))}"));
        _log.WriteLine(string.Create(c,
            $"  settled {startup.SettledPerSecond:N0}/s; second 1 {startup.Ratios[0]:P0}, second 2 {startup.Ratios[1]:P0}, first 10 s {startup.FirstTenSecondsRatio:P0} of it; 80% from {startup.SecondsTo80Percent?.ToString(c) ?? "never"} s; non-2xx {result.Non200}, unexpected {result.Unexpected}"));
    }
}
