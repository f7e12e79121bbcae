using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AuthServer.ResourceServer.Revocations;

/// <summary>
/// <c>authserver-revocations</c>: Healthy while the stream is current; Degraded when it cannot be read, because then
/// a key revoked since is refused only at its tokens' <c>exp</c> (the guarantee of local validation without it).
/// </summary>
internal sealed class RevocationStreamHealthCheck(RevocationStreamState state) : IHealthCheck
{
    public const string Name = "authserver-revocations";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) => Task.FromResult(
        state.NotFollowedBecause is { } reason ? HealthCheckResult.Healthy($"Revocations are not followed: {reason}")
        : state.IsCurrent ? HealthCheckResult.Healthy("Following the AuthServer's revocations: a revoked key's tokens are refused within seconds.")
        : HealthCheckResult.Degraded(
            $"The AuthServer's revocation stream cannot be read{(state.LastFailure is { } failure ? $" ({failure})" : "")}, last heard {(state.LastHeard is { } at ? at.ToString("u") : "never")}: " +
            "until it is read again, a key revoked since is refused only when its tokens expire."));
}
