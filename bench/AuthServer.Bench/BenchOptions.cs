using System.Globalization;

namespace AuthServer.Bench;

/// <summary>Command line of <c>bench/run</c>.</summary>
internal sealed record BenchOptions
{
    public bool Postgres { get; init; }

    public bool Long { get; init; }

    public int LargeKeyCount { get; init; } = 100_000;

    public int SmallKeyCount { get; init; } = 10;

    public int Connections { get; init; } = 32;

    public int WrkThreads { get; init; } = 2;

    /// <summary>Scenario IDs to run; empty = all.</summary>
    public IReadOnlySet<string> Only { get; init; } = new HashSet<string>();

    public string? Output { get; init; }

    public string? Label { get; init; }

    /// <summary>The AuthServer.dll to run; default the Release build's (e.g. a published, ReadyToRun copy instead).</summary>
    public string? Server { get; init; }

    /// <summary>Environment variables for every AuthServer process (e.g. DOTNET_TieredPGO=0), over the benchmark's own.</summary>
    public IReadOnlyDictionary<string, string> ServerEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The least warm-up; it goes on in 1 s slices until throughput is stable, up to <see cref="WarmupCap"/>. The
    /// startup scenarios show a plateau of several seconds before the JIT's optimized code takes over, 5 to 14 s after
    /// the first request on this 2-core machine: 3 stable slices alone can be a plateau.
    /// </summary>
    public TimeSpan Warmup => TimeSpan.FromSeconds(Long ? 20 : 10);

    public TimeSpan WarmupCap => TimeSpan.FromSeconds(Long ? 60 : 30);

    /// <summary>How long a startup scenario loads a fresh server; its last 5 s are the settled reference.</summary>
    public TimeSpan StartupDuration => TimeSpan.FromSeconds(Long ? 40 : 20);

    public TimeSpan Duration => TimeSpan.FromSeconds(Long ? 60 : 10);

    public bool Runs(string scenario) => Only.Count == 0 || Only.Contains(scenario);

    public const string Usage = """
        usage: bench/run [--postgres] [--long] [--only ID,ID...] [--keys N] [--connections N] [--threads N] [--out FILE] [--label TEXT]
                         [--server DLL] [--server-env NAME=VALUE,...]
          --postgres     run AuthServer on a throwaway PostgreSQL 15 cluster instead of SQLite
          --long         warm-up of at least 20 s (cap 60 s) and 60 s per scenario (default at least 10 s, cap 30 s, and 10 s),
                         40 s startup loads (default 20 s), and BenchmarkDotNet's default job. A warm-up goes on in 1 s
                         slices until the last 3 agree within 5%.
          --only         scenarios: floor, token-rs256, token-es256, token-limits, introspection, sampleapi, token-100k, micro,
                         startup-rs256, startup-es256, startup-introspection (startup = the three: a fresh server loaded
                         from its first request, answers per second; token-limits: RS256 with every request counted
                         against a key limit, per instance and in a throwaway Redis)
          --keys         keys in the large database (default 100000)
          --out          results file (default bench/results/bench-<UTC time>.json)
          --server       the AuthServer.dll to run (default the one bench/run publishes, src/AuthServer/bin/Release/net10.0/publish/)
          --server-env   environment variables for every AuthServer process, e.g. DOTNET_TieredPGO=0
        """;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--postgres" => options with { Postgres = true },
                "--long" => options with { Long = true },
                "--only" => options with { Only = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet() },
                "--keys" => options with { LargeKeyCount = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--connections" => options with { Connections = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--threads" => options with { WrkThreads = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--out" => options with { Output = Next() },
                "--label" => options with { Label = Next() },
                "--server" => options with { Server = Path.GetFullPath(Next()) },
                "--server-env" => options with { ServerEnvironment = ParseEnvironment(Next()) },
                "--help" or "-h" => throw new ArgumentException("Help."),
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'."),
            };
        }

        return options;
    }

    private static Dictionary<string, string> ParseEnvironment(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair.Length == 2 ? pair[1] : throw new ArgumentException($"--server-env wants NAME=VALUE, not '{pair[0]}'."));
}
