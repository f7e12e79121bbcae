using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text.Json;
using AuthServer.Data;
using AuthServer.Signing;

namespace AuthServer.Bench;

/// <summary>
/// One benchmark run: fresh databases, the machine's limits (signatures per core, the HTTP floor), then each
/// AuthServer scenario against its own server process, and the table and results file.
/// </summary>
internal sealed partial class BenchRun(BenchOptions options, string root)
{
    private const string TokenPath = "/connect/token";
    private const string IntrospectionPath = "/connect/introspect";
    private const int IntrospectionTokens = 2_000;
    private const string IntrospectionExpect = "\"active\"%s*:%s*true";

    private readonly Wrk _wrk = new(options.WrkThreads, options.Connections);
    private readonly List<ScenarioResult> _scenarios = [];
    private readonly List<StartupResult> _startups = [];
    private readonly Dictionary<string, double> _provisioning = [];
    private readonly TextWriter _log = System.Console.Out;
    private string _work = null!;

    /// <summary>As bench/run published it (ReadyToRun, as shipped), unless --server names another.</summary>
    private string ServerDll => options.Server ?? Path.Combine(root, "src", "AuthServer", "bin", "Release", "net10.0", "publish", "AuthServer.dll");

    private string FloorDll => Path.Combine(root, "bench", "HttpFloor", "bin", "Release", "net10.0", "HttpFloor.dll");

    private string SampleApiDll => Path.Combine(root, "src", "SampleApi", "bin", "Release", "net10.0", "SampleApi.dll");

    private string MicroDll => Path.Combine(root, "bench", "AuthServer.Micro", "bin", "Release", "net10.0", "AuthServer.Micro.dll");

    public async Task<int> RunAsync()
    {
        var started = DateTimeOffset.UtcNow;
        var machine = Machine();
        _work = Directory.CreateTempSubdirectory("authserver-bench-").FullName;
        _log.WriteLine($"work folder {_work}");
        WriteCertificates();

        IReadOnlyList<MicroResult> micro = [];
        await using (var postgres = options.Postgres ? await PostgresCluster.StartAsync(_log) : null)
        {
            var small = await ProvisionAsync("small", options.SmallKeyCount, postgres);
            var large = options.Runs("token-100k") ? await ProvisionAsync("large", options.LargeKeyCount, postgres) : null;

            if (options.Runs("micro"))
            {
                micro = await RunMicroAsync();
            }

            if (options.Runs("floor"))
            {
                await RunFloorAsync();
            }

            if (options.Runs("startup-rs256") || options.Runs("startup"))
            {
                await RunTokenStartupAsync("startup-rs256", "token RS256", small, SigningAlgorithms.RS256);
            }

            if (options.Runs("startup-es256") || options.Runs("startup"))
            {
                await RunTokenStartupAsync("startup-es256", "token ES256", small, SigningAlgorithms.ES256);
            }

            if (options.Runs("token-rs256"))
            {
                await RunTokenAsync("token-rs256", $"token RS256, {small.Keys.Count} keys", small, SigningAlgorithms.RS256, cold: false);
            }

            if (large is not null)
            {
                await RunTokenAsync("token-100k", $"token RS256, {large.Keys.Count:N0} keys", large, SigningAlgorithms.RS256, cold: true);
            }

            if (options.Runs("token-es256"))
            {
                await RunTokenAsync("token-es256", $"token ES256, {small.Keys.Count} keys", small, SigningAlgorithms.ES256, cold: false);
            }

            if (options.Runs("token-limits"))
            {
                await RunLimitScenariosAsync(small);
            }

            if (options.Runs("introspection") || options.Runs("startup-introspection") || options.Runs("startup"))
            {
                await RunIntrospectionAsync(small);
            }

            if (options.Runs("sampleapi"))
            {
                await RunSampleApiAsync(small);
            }
        }

        var limits = new MachineLimits(
            micro.FirstOrDefault(m => m.Name.EndsWith(".Rs256Sign", StringComparison.Ordinal))?.PerSecond,
            micro.FirstOrDefault(m => m.Name.EndsWith(".Es256Sign", StringComparison.Ordinal))?.PerSecond,
            _scenarios.FirstOrDefault(s => s.Id == "floor")?.RequestsPerSecond);
        var report = new BenchReport(started, options.Label, machine, options.Postgres ? "PostgreSQL 15" : "SQLite", _wrk.Describe,
            options.Warmup.TotalSeconds, options.Duration.TotalSeconds, _provisioning, limits, _scenarios, _startups, micro, Targets.Evaluate(_scenarios, _startups, limits));

        var output = options.Output ?? Path.Combine(root, "bench", "results", $"bench-{started:yyyyMMdd-HHmmss}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        await File.WriteAllTextAsync(output, report.ToJson());
        _log.WriteLine();
        _log.WriteLine(report.ToTable());
        _log.WriteLine($"results written to {output}; server logs in {_work}");
        return 0;
    }

    private void WriteCertificates()
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var algorithm in new[] { SigningAlgorithms.RS256, SigningAlgorithms.ES256 })
        {
            using var certificate = SigningCertificateGenerator.Create(algorithm, now.AddMinutes(-5), now.AddDays(7));
            SigningCertificateGenerator.Save(certificate, algorithm, CertificatesFolder(algorithm), password: null);
        }
    }

    private string CertificatesFolder(string algorithm) => Path.Combine(_work, "certs-" + algorithm.ToLowerInvariant());

    private async Task<ProvisionedDatabase> ProvisionAsync(string name, int keys, PostgresCluster? postgres)
    {
        _log.WriteLine($"provisioning {keys:N0} keys ({name} database) ...");
        var (provider, connection, workers) = postgres is null
            ? (DatabaseProvider.Sqlite, $"Data Source={Path.Combine(_work, name + ".db")}", 2)
            : (DatabaseProvider.PostgreSql, postgres.ConnectionString("bench_" + name), 4);
        var throughCreator = keys <= 1_000 ? keys : 1;
        var database = await Provisioner.CreateAsync(provider, connection, keys, throughCreator, workers, _log, CancellationToken.None);
        _provisioning[name] = Math.Round(database.Took.TotalSeconds, 1);
        _log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {keys:N0} keys in {database.Took.TotalSeconds:F1} s"));
        await File.WriteAllLinesAsync(AuthFile(name), database.Keys.Select(k => k.BasicAuthorization));
        return database;
    }

    private string AuthFile(string name) => Path.Combine(_work, name + "-keys.auth");

    private string TokenBodyFile()
    {
        var path = Path.Combine(_work, "token.body");
        File.WriteAllText(path, "grant_type=client_credentials&scope=bench%3Aread\n");
        return path;
    }

    private async Task<IReadOnlyList<MicroResult>> RunMicroAsync()
    {
        _log.WriteLine("micro-benchmarks and signing limits (BenchmarkDotNet) ...");
        var artifacts = Path.Combine(_work, "micro");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _work };
        foreach (var arg in new[] { MicroDll, "--artifacts", artifacts }.Concat(options.Long ? ["--long"] : []))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await File.WriteAllTextAsync(Path.Combine(_work, "micro.log"), await output + await error);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The micro-benchmarks failed ({process.ExitCode}); see {_work}/micro.log.");
        }

        var results = new List<MicroResult>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(artifacts, "results"), "*-report-brief.json"))
        {
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(file));
            foreach (var benchmark in json.RootElement.GetProperty("Benchmarks").EnumerateArray())
            {
                var allocated = benchmark.TryGetProperty("Memory", out var memory) && memory.TryGetProperty("BytesAllocatedPerOperation", out var bytes)
                    ? bytes.GetInt64()
                    : (long?)null;
                results.Add(new MicroResult($"{benchmark.GetProperty("Type").GetString()}.{benchmark.GetProperty("Method").GetString()}",
                    Math.Round(benchmark.GetProperty("Statistics").GetProperty("Mean").GetDouble(), 1), allocated));
            }
        }

        return results;
    }

    private async Task RunFloorAsync()
    {
        _log.WriteLine("HTTP floor ...");
        await using var floor = ServedProcess.Start(FloorDll, new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" }, Path.Combine(_work, "floor.log"));
        await floor.WaitUntilReadyAsync("/health/ready", TimeSpan.FromSeconds(60));
        _scenarios.Add(await MeasureAsync("floor", "HTTP floor (Kestrel, do-nothing form POST)", floor, TokenPath, AuthFile("small"), TokenBodyFile(), database: false));
    }

    private async Task RunTokenAsync(string id, string title, ProvisionedDatabase database, string algorithm, bool cold)
    {
        _log.WriteLine($"{title} ...");
        var name = database.Keys.Count == options.SmallKeyCount ? "small" : "large";
        await using var server = await StartAuthServerAsync(id, database, algorithm);
        if (cold)
        {
            // Every key once, before the measurement: its first use reads it from the database (docs/design.md, decision 2).
            var before = server.Commands;
            var load = LoadAverage.Now();
            var cpu = server.CpuTime();
            var first = await ColdPass.RunAsync(server.BaseAddress, TokenPath, database.Keys, options.Connections);
            _scenarios.Add(ScenarioResult.From(id + "-cold", $"{title}: first use of each key (HttpClient)", first, null,
                server.Commands.Since(before), server.CpuTime() - cpu, load, informational: true));
        }

        _scenarios.Add(await MeasureAsync(id, title, server, TokenPath, AuthFile(name), TokenBodyFile(), database: true));
    }

    private async Task RunIntrospectionAsync(ProvisionedDatabase database)
    {
        _log.WriteLine("introspection ...");
        await using var server = await StartAuthServerAsync("introspection", database, SigningAlgorithms.RS256, fixedIssuer: true);
        var tokens = await FetchTokensAsync(server.BaseAddress, database.Keys, IntrospectionTokens);
        var bodies = Path.Combine(_work, "introspection.body");
        await File.WriteAllLinesAsync(bodies, tokens.Select(t => $"token={t}&token_type_hint=access_token"));
        var auth = Path.Combine(_work, "introspection.auth");
        await File.WriteAllTextAsync(auth, database.Introspection.BasicAuthorization + "\n");
        if (options.Runs("introspection"))
        {
            _scenarios.Add(await MeasureAsync("introspection", $"introspection RS256, {tokens.Count:N0} tokens", server, IntrospectionPath, auth, bodies,
                database: true, expect: IntrospectionExpect));
        }

        await server.DisposeAsync();
        if (options.Runs("startup-introspection") || options.Runs("startup"))
        {
            // A fresh server on the same database and certificates: the tokens the first one issued stay valid.
            await RunStartupAsync("startup-introspection", "introspection RS256", database, SigningAlgorithms.RS256, IntrospectionPath, auth, bodies, IntrospectionExpect, fixedIssuer: true);
        }
    }
}
