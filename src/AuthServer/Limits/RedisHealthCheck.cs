using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AuthServer.Limits;

/// <summary>
/// Redis as <c>/health/ready</c> reports it: degraded, never unhealthy, when it does not answer, since tokens are
/// still issued then (each instance counts alone).
/// </summary>
public sealed class RedisHealthCheck(RedisTokenCounter counter) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await counter.PingAsync(cancellationToken)
            ? HealthCheckResult.Healthy("Redis answers: token limits are shared between instances.")
            : HealthCheckResult.Degraded("Redis does not answer: token limits are counted per instance (fail open).");
}
