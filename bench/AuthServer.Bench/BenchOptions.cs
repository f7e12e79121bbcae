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

    public TimeSpan Warmup => TimeSpan.FromSeconds(Long ? 10 : 3);

    public TimeSpan Duration => TimeSpan.FromSeconds(Long ? 60 : 10);

    public bool Runs(string scenario) => Only.Count == 0 || Only.Contains(scenario);

    public const string Usage = """
        usage: bench/run [--postgres] [--long] [--only ID,ID...] [--keys N] [--connections N] [--threads N] [--out FILE] [--label TEXT]
          --postgres     run AuthServer on a throwaway PostgreSQL 15 cluster instead of SQLite
          --long         10 s warm-up and 60 s per scenario (default 3 s and 10 s), and BenchmarkDotNet's default job
          --only         scenarios: floor, token-rs256, token-es256, token-limits, introspection, sampleapi, token-100k, micro
                         (token-limits: RS256 with every request counted against a key limit, per instance and in a throwaway Redis)
          --keys         keys in the large database (default 100000)
          --out          results file (default bench/results/bench-<UTC time>.json)
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
                "--help" or "-h" => throw new ArgumentException("Help."),
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'."),
            };
        }

        return options;
    }
}
