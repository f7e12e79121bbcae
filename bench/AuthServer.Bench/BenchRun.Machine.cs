using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace AuthServer.Bench;

internal sealed partial class BenchRun
{
    private static MachineInfo Machine()
    {
        static string? Field(string file, string prefix) =>
            File.Exists(file) ? File.ReadLines(file).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) : null;

        var cpu = Field("/proc/cpuinfo", "model name")?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memoryKiB = double.Parse(Field("/proc/meminfo", "MemTotal:")?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] ?? "0", CultureInfo.InvariantCulture);
        var os = Field("/etc/os-release", "PRETTY_NAME=")?.Split('=', 2)[1].Trim('"') ?? RuntimeInformation.OSDescription;
        var load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
        string wrk;
        using (var process = Process.Start(new ProcessStartInfo("wrk", "-v") { RedirectStandardOutput = true, UseShellExecute = false })!)
        {
            wrk = process.StandardOutput.ReadLine()?.Split(' ').Take(2).Aggregate((a, b) => a + " " + b) ?? "wrk";
            process.WaitForExit();
        }

        return new MachineInfo(cpu, Environment.ProcessorCount, Math.Round(memoryKiB / 1024 / 1024, 1), os, RuntimeInformation.FrameworkDescription, wrk, load);
    }
}
