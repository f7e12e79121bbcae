using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace AuthServer.Bench;

/// <summary>Tokens for the scenarios that need them, and what the run says about the machine.</summary>
internal sealed partial class BenchRun
{
    private static async Task<List<string>> FetchTokensAsync(Uri server, IReadOnlyList<Credentials> keys, int count)
    {
        using var http = new HttpClient { BaseAddress = server };
        var tokens = new string[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, TokenPath.TrimStart('/'))
            {
                Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("scope", Provisioner.Scope)]),
            };
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(keys[i % keys.Count].BasicAuthorization);
            using var response = await http.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"The token endpoint answered {(int)response.StatusCode}: {body}");
            }

            tokens[i] = JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
        });
        return [.. tokens];
    }

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
