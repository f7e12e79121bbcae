using System.Diagnostics;
using System.Globalization;
using AuthServer.Signing;

namespace AuthServer.Bench;

/// <summary>
/// Token throughput when every request is counted against the key's limit: per instance (in memory), then in a
/// throwaway Redis (scripts/redis-throwaway.sh), in one run so that they compare with each other and with token-rs256
/// (no counting). The limit is set far above what wrk can send, so nothing is refused.
/// </summary>
internal sealed partial class BenchRun
{
    private static readonly Dictionary<string, string> CountedLimit = new()
    {
        ["Throttling__TokensPerKey"] = "1000000000",
        ["Throttling__TokenWindow"] = "00:01:00",
    };

    private async Task RunLimitScenariosAsync(ProvisionedDatabase database)
    {
        _log.WriteLine($"token RS256 with a counted key limit, per instance and in Redis, {database.Keys.Count} keys ...");
        await using (var local = await StartAuthServerAsync("token-limit-local", database, SigningAlgorithms.RS256, settings: CountedLimit))
        {
            _scenarios.Add(await MeasureAsync("token-limit-local", $"token RS256, key limit counted per instance, {database.Keys.Count} keys",
                local, TokenPath, AuthFile("small"), TokenBodyFile(), database: true));
        }

        var folder = Path.Combine(_work, "redis");
        var address = RedisScript("start", folder);
        try
        {
            var settings = new Dictionary<string, string>(CountedLimit) { ["Limits__Redis"] = address };
            await using var shared = await StartAuthServerAsync("token-limit-redis", database, SigningAlgorithms.RS256, settings: settings);
            _scenarios.Add(await MeasureAsync("token-limit-redis", $"token RS256, key limit counted in Redis (loopback), {database.Keys.Count} keys",
                shared, TokenPath, AuthFile("small"), TokenBodyFile(), database: true));
        }
        finally
        {
            RedisScript("stop", folder);
        }
    }

    private string RedisScript(string command, string folder)
    {
        var start = new ProcessStartInfo(Path.Combine(root, "scripts", "redis-throwaway.sh")) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(command);
        start.ArgumentList.Add(folder);
        start.Environment["REDIS_THROWAWAY_OWNER_PID"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output.Trim() : throw new InvalidOperationException($"redis-throwaway.sh {command} failed: {error}");
    }
}
