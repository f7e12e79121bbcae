using AuthServer.Clients;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace AuthServer.Data;

/// <summary>
/// Readiness: can the database answer a query within <see cref="ClientOptions.LoadTimeout"/>, the bound every
/// request path uses? Bounded the same way (<see cref="DatabaseFailure.WithinAsync{T}"/>), so a stalled database
/// turns <c>/health/ready</c> unhealthy in that time instead of holding the probe.
/// </summary>
public sealed class DatabaseHealthCheck(IServiceScopeFactory scopes, IOptions<ClientOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await DatabaseFailure.WithinAsync(options.Value.LoadTimeout, async token =>
            {
                await using var scope = scopes.CreateAsyncScope();
                if (!await scope.ServiceProvider.GetRequiredService<AuthDbContext>().Database.CanConnectAsync(token))
                {
                    throw new DatabaseUnavailableException(new InvalidOperationException("The database refused the connection."));
                }

                return true;
            }, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (DatabaseUnavailableException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The database does not answer.");
        }
    }
}
