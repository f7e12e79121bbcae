using System.Globalization;

namespace AuthServer.Bench;

/// <summary>The targets of issue #6, each read against limits measured in the same run.</summary>
internal static class Targets
{
    private const double P99LimitMs = 25;

    public static IReadOnlyList<TargetResult> Evaluate(IReadOnlyList<ScenarioResult> scenarios, IReadOnlyList<StartupResult> startups, MachineLimits limits)
    {
        var c = CultureInfo.InvariantCulture;
        ScenarioResult? Find(string id) => scenarios.FirstOrDefault(s => s.Id == id);
        var targets = new List<TargetResult>();

        void AtLeast(string target, ScenarioResult? scenario, double? reference, string referenceName, double required)
        {
            if (scenario is null || reference is not > 0)
            {
                targets.Add(new TargetResult(target, "not measured in this run", null, $">= {required * 100:0}%", null));
                return;
            }

            var ratio = scenario.RequestsPerSecond / reference.Value;
            targets.Add(new TargetResult(target, string.Create(c, $"{scenario.RequestsPerSecond:N0} vs {referenceName} {reference:N0}"),
                Math.Round(ratio, 3), $">= {required * 100:0}%", ratio >= required));
        }

        AtLeast("token endpoint RS256 >= 60% of 2 x RS256 signatures/s (1 core)", Find("token-rs256"), limits.Rs256SignaturesPerSecondOneCore * 2, "2 x sign/s", 0.60);
        AtLeast("token endpoint ES256 >= 25% of the HTTP floor", Find("token-es256"), limits.HttpFloorRequestsPerSecond, "floor", 0.25);
        AtLeast("introspection >= 30% of the HTTP floor", Find("introspection"), limits.HttpFloorRequestsPerSecond, "floor", 0.30);
        AtLeast("100,000 keys: >= 90% of the throughput with 10 keys", Find("token-100k"), Find("token-rs256")?.RequestsPerSecond, "10 keys", 0.90);

        if (Find("token-limit-local") is { } local && Find("token-limit-redis") is { } redis && local.RequestsPerSecond > 0)
        {
            targets.Add(new TargetResult("key limits counted in Redis vs per instance (informational)",
                string.Create(c, $"{redis.RequestsPerSecond:N0} vs {local.RequestsPerSecond:N0} req/s"), Math.Round(redis.RequestsPerSecond / local.RequestsPerSecond, 3), "-", null));
        }

        var tokenScenarios = scenarios.Where(s => s.Id.StartsWith("token-", StringComparison.Ordinal) && !s.Informational).ToList();
        if (tokenScenarios.Count > 0)
        {
            var worst = tokenScenarios.MaxBy(s => s.P99Ms)!;
            targets.Add(new TargetResult($"token endpoint p99 <= {P99LimitMs} ms at 32 connections",
                string.Create(c, $"worst p99 {worst.P99Ms:0.0} ms ({worst.Id})"), null, $"<= {P99LimitMs} ms", worst.P99Ms <= P99LimitMs));
        }

        // Issue #15: a new instance added to a pool under load is at full speed soon after it reports ready.
        foreach (var startup in startups)
        {
            targets.Add(new TargetResult($"{startup.Title}: second 2 >= 80% of settled",
                string.Create(c, $"{startup.PerSecond[1]:N0} vs settled {startup.SettledPerSecond:N0}"), startup.Ratios[1], ">= 80%", startup.Ratios[1] >= 0.8));
        }

        var measured = scenarios.Where(s => !s.Informational).ToList();
        var failures = measured.Sum(s => s.Non2xx + s.Unexpected + s.SocketErrors + s.Timeouts) + startups.Sum(s => s.Non2xx + s.Unexpected);
        var answered = measured.Sum(s => s.Requests) + startups.Sum(s => s.PerSecond.Sum());
        targets.Add(new TargetResult("zero non-2xx (and no bad answer, no socket error) in every scenario",
            string.Create(c, $"{failures} in {answered:N0} requests"), null, "0", failures == 0));

        var withDatabase = measured.Where(s => s.Database is not null).ToList();
        if (withDatabase.Count > 0)
        {
            var writes = withDatabase.Sum(s => s.Database!.Writes);
            var requests = withDatabase.Sum(s => s.Requests);
            targets.Add(new TargetResult("no database write per issued token (SQL writes while measured)",
                string.Create(c, $"{writes} writes, {withDatabase.Sum(s => s.Database!.Total)} SQL cmds for {requests:N0} requests"), null, "0 per token",
                writes == 0));
        }

        return targets;
    }
}
