using System.Net;
using AuthServer.ApiKeys;
using AuthServer.Health;
using AuthServer.Tests.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AuthServer.Tests;

/// <summary>
/// The hot-path warm-up (issue #15): <c>/health/ready</c> waits for it, and it leaves nothing behind — no key use
/// recorded, no SQL, no secret or warm-up key in the logs. Whether it makes the server fast is measured by
/// bench/run (startup scenarios), never here.
/// </summary>
public sealed class WarmupTests
{
    [Fact]
    public async Task Readiness_is_unhealthy_until_the_warm_up_has_finished()
    {
        var state = new WarmupState();
        var check = new WarmupHealthCheck(state);

        var before = await check.CheckHealthAsync(new HealthCheckContext());
        state.Finish();
        var after = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, before.Status);
        Assert.Equal(HealthStatus.Healthy, after.Status);
    }

    [Fact]
    public async Task The_warm_up_runs_before_the_server_is_ready_and_leaves_no_trace()
    {
        await using var factory = new AuthServerFactory(new Dictionary<string, string?>
        {
            ["Warmup:Enabled"] = "true",
            ["Warmup:IterationsPerRound"] = "3",
            ["Warmup:MaxDuration"] = "00:00:00", // one round
        });
        using var http = factory.CreateHttpsClient();
        var sqlAtStart = factory.Sql.Mark();

        using var ready = await WhenReadyAsync(http);

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains(factory.Logs.Lines, line => line.Contains("Warm-up done: 1 rounds of 3", StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Logs.Lines, line => line.Contains("ak_warmup", StringComparison.Ordinal));
        Assert.Null(factory.Services.GetRequiredService<KeyUsageRecorder>().PendingFor("ak_warmup"));
        Assert.DoesNotContain(factory.Sql.Since(sqlAtStart), sql => sql.Contains("LastUsed", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Asks until the answer is 200, within a bound that only guards against a hang.</summary>
    private static async Task<HttpResponseMessage> WhenReadyAsync(HttpClient http)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), bound.Token);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(20, bound.Token);
        }
    }
}
