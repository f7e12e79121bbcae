using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AuthServer.Bench;

internal sealed record ScenarioResult(
    string Id,
    string Title,
    double RequestsPerSecond,
    double P50Ms,
    double P99Ms,
    long Requests,
    long Non2xx,
    long Unexpected,
    long SocketErrors,
    long Timeouts,
    long? PeakRssMiB,
    DatabaseCommandCounts? Database,
    double? ServerCpuUsPerRequest,
    string LoadAverageAtStart,
    bool Informational = false)
{
    public WarmupResult? Warmup { get; init; }

    public static ScenarioResult From(
        string id, string title, WrkResult wrk, long? peakRssKiB, DatabaseCommandCounts? database, TimeSpan? serverCpu, string load, bool informational = false) =>
        new(id, title, Math.Round(wrk.RequestsPerSecond, 1), wrk.LatencyUs.P50 / 1000.0, wrk.LatencyUs.P99 / 1000.0, wrk.Requests,
            wrk.Non200, wrk.Unexpected, wrk.SocketErrors, wrk.Timeouts, peakRssKiB / 1024, database,
            serverCpu is { } cpu && wrk.Requests > 0 ? Math.Round(cpu.TotalMicroseconds / wrk.Requests, 1) : null, load, informational);

    public bool Clean => Non2xx == 0 && Unexpected == 0 && SocketErrors == 0 && Timeouts == 0;
}

internal sealed record MicroResult(string Name, double MeanNs, long? AllocatedBytes)
{
    public double PerSecond => 1e9 / MeanNs;
}

internal sealed record MachineLimits(double? Rs256SignaturesPerSecondOneCore, double? Es256SignaturesPerSecondOneCore, double? HttpFloorRequestsPerSecond);

internal sealed record TargetResult(string Target, string Measured, double? Ratio, string Required, bool? Met);

internal static class LoadAverage
{
    /// <summary>The 1-minute load average: how busy the machine was with other work when a scenario started.</summary>
    public static string Now() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}

internal sealed record MachineInfo(string Cpu, int Cores, double MemoryGiB, string Os, string Runtime, string Wrk, string LoadAverageAtStart);

internal sealed record BenchReport(
    DateTimeOffset Date,
    string? Label,
    MachineInfo Machine,
    string Database,
    string Load,
    double WarmupSeconds,
    double DurationSeconds,
    IReadOnlyDictionary<string, double> ProvisioningSeconds,
    MachineLimits Limits,
    IReadOnlyList<ScenarioResult> Scenarios,
    IReadOnlyList<StartupResult> Startups,
    IReadOnlyList<MicroResult> Micro,
    IReadOnlyList<TargetResult> Targets)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public string ToTable()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"AuthServer benchmark, {Date:yyyy-MM-dd HH:mm} UTC{(Label is null ? "" : $" ({Label})")}: {Database}, {Load}, at least {WarmupSeconds:0} s warm-up (until stable) + {DurationSeconds:0} s per scenario");
        text.AppendLine(c, $"machine: {Machine.Cpu}, {Machine.Cores} cores, {Machine.MemoryGiB:0.0} GiB, {Machine.Os}, {Machine.Runtime}, {Machine.Wrk}; load average at start {Machine.LoadAverageAtStart}");
        text.AppendLine();
        text.AppendLine(c, $"| {"scenario",-44} | {"req/s",9} | {"p50 ms",7} | {"p99 ms",7} | {"non-2xx",7} | {"peak RSS MiB",12} | {"DB writes / SQL cmds",20} | {"server CPU us/req",17} | {"load avg",8} | {"warm-up s",9} |");
        text.AppendLine(c, $"| {new string('-', 44)} | {new string('-', 9)}:| {new string('-', 7)}:| {new string('-', 7)}:| {new string('-', 7)}:| {new string('-', 12)}:| {new string('-', 20)}:| {new string('-', 17)}:| {new string('-', 8)}:| {new string('-', 9)}:|");
        foreach (var s in Scenarios)
        {
            var failures = s.Non2xx.ToString(c) + (s.Unexpected + s.SocketErrors + s.Timeouts > 0 ? $" (+{s.Unexpected} bad, {s.SocketErrors + s.Timeouts} err)" : "");
            var db = s.Database is { } d ? $"{d.Writes} / {d.Total}" : "-";
            text.AppendLine(c, $"| {s.Title,-44} | {s.RequestsPerSecond,9:N0} | {s.P50Ms,7:0.00} | {s.P99Ms,7:0.00} | {failures,7} | {s.PeakRssMiB?.ToString(c) ?? "-",12} | {db,20} | {s.ServerCpuUsPerRequest?.ToString("0", c) ?? "-",17} | {s.LoadAverageAtStart,8} | {Warmup(s.Warmup),9} |");
        }

        if (Startups.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(c, $"| {"from start (fresh server, load from ready)",-44} | {"ready s",7} | {"settled/s",9} | {"1st s",5} | {"2nd s",5} | {"10 s",5} | {"80% by",6} | {"bad",5} | {"per second (% of settled)",-60} |");
            text.AppendLine(c, $"| {new string('-', 44)} | {new string('-', 7)}:| {new string('-', 9)}:| {new string('-', 5)}:| {new string('-', 5)}:| {new string('-', 5)}:| {new string('-', 6)}:| {new string('-', 5)}:| {new string('-', 60)} |");
            foreach (var s in Startups)
            {
                var curve = string.Join(" ", s.Ratios.Select(r => (r * 100).ToString("0", c)));
                text.AppendLine(c, $"| {s.Title,-44} | {s.ReadySeconds,7:0.00} | {s.SettledPerSecond,9:N0} | {s.Ratios[0],5:P0} | {s.Ratios[1],5:P0} | {s.FirstTenSecondsRatio,5:P0} | {(s.SecondsTo80Percent is { } t ? t + " s" : "never"),6} | {s.Non2xx + s.Unexpected,5} | {curve,-60} |");
            }
        }

        text.AppendLine();
        text.AppendLine(c, $"machine limits: RS256 signature on 1 core {Format(Limits.Rs256SignaturesPerSecondOneCore)}/s (x 2 cores = {Format(Limits.Rs256SignaturesPerSecondOneCore * 2)}/s); " +
                           $"ES256 signature on 1 core {Format(Limits.Es256SignaturesPerSecondOneCore)}/s; HTTP floor {Format(Limits.HttpFloorRequestsPerSecond)} req/s");
        if (Micro.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(c, $"| {"micro-benchmark (BenchmarkDotNet, 1 thread)",-44} | {"mean us",9} | {"per s, 1 core",13} | {"allocated B",11} |");
            text.AppendLine(c, $"| {new string('-', 44)} | {new string('-', 9)}:| {new string('-', 13)}:| {new string('-', 11)}:|");
            foreach (var m in Micro)
            {
                text.AppendLine(c, $"| {m.Name,-44} | {m.MeanNs / 1000,9:0.00} | {m.PerSecond,13:N0} | {m.AllocatedBytes?.ToString(c) ?? "-",11} |");
            }
        }

        text.AppendLine();
        text.AppendLine(c, $"| {"target",-68} | {"measured",-44} | {"ratio",7} | {"required",11} | {"met",4} |");
        text.AppendLine(c, $"| {new string('-', 68)} | {new string('-', 44)} | {new string('-', 7)}:| {new string('-', 11)} | {new string('-', 4)} |");
        foreach (var t in Targets)
        {
            var met = t.Met switch { true => "yes", false => "NO", null => "n/a" };
            var ratio = t.Ratio is { } r ? (r * 100).ToString("0", c) + "%" : "";
            text.AppendLine(c, $"| {t.Target,-68} | {t.Measured,-44} | {ratio,7} | {t.Required,11} | {met,4} |");
        }

        return text.ToString();
    }

    private static string Warmup(WarmupResult? warmup) => warmup is null ? "-" : warmup.Seconds + (warmup.Stable ? "" : " (cap)");

    private static string Format(double? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "n/a";
}
