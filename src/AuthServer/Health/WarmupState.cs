using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AuthServer.Health;

/// <summary>Whether <see cref="HotPathWarmup"/> has finished; until then <c>/health/ready</c> says so.</summary>
public sealed class WarmupState
{
    private volatile bool _done;

    public bool Done => _done;

    public void Finish() => _done = true;
}

public sealed class WarmupHealthCheck(WarmupState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.Done ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("Warming up."));
}
