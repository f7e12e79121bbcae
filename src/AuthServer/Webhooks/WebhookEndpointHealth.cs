using AuthServer.Audit;
using AuthServer.Data;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Webhooks;

/// <summary>
/// Keeps each endpoint's run of failures (counted in the database, since every instance delivers) and disables an
/// endpoint that has failed every attempt for <see cref="WebhookOptions.DisableAfter"/> and at least
/// <see cref="WebhookOptions.DisableAfterFailures"/> times; the disabling is audited.
/// </summary>
public sealed class WebhookEndpointHealth(AuthDbContext db, AuditLog audit, WebhookOptions options)
{
    public static readonly Actor System = new("system:webhooks", "local");

    public async Task RecordAsync(IReadOnlyList<(WebhookEndpoint Endpoint, bool Delivered)> outcomes, DateTime now, CancellationToken cancellationToken)
    {
        var endpoints = db.Set<WebhookEndpoint>();
        foreach (var group in outcomes.GroupBy(o => o.Endpoint.Id))
        {
            var endpoint = group.First().Endpoint;
            if (group.Any(o => o.Delivered))
            {
                await endpoints.Where(e => e.Id == endpoint.Id && (e.ConsecutiveFailures != 0 || e.FailingSince != null))
                    .ExecuteUpdateAsync(set => set.SetProperty(e => e.ConsecutiveFailures, 0).SetProperty(e => e.FailingSince, (DateTime?)null), cancellationToken);
                continue;
            }

            var failures = group.Count();
            await endpoints.Where(e => e.Id == endpoint.Id)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(e => e.ConsecutiveFailures, e => e.ConsecutiveFailures + failures)
                    .SetProperty(e => e.FailingSince, e => e.FailingSince ?? now), cancellationToken);
            await DisableIfFailingAsync(endpoint, now, cancellationToken);
        }
    }

    private async Task DisableIfFailingAsync(WebhookEndpoint endpoint, DateTime now, CancellationToken cancellationToken)
    {
        var failingSince = now - options.DisableAfter;
        var reason = $"failed every attempt for {options.DisableAfter} and at least {options.DisableAfterFailures} times";
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var disabled = await db.Set<WebhookEndpoint>()
            .Where(e => e.Id == endpoint.Id && e.Enabled && e.FailingSince <= failingSince && e.ConsecutiveFailures >= options.DisableAfterFailures)
            .ExecuteUpdateAsync(set => set.SetProperty(e => e.Enabled, false).SetProperty(e => e.DisabledAt, now).SetProperty(e => e.DisabledReason, reason), cancellationToken);
        if (disabled == 1)
        {
            audit.Record(System, AuditActions.WebhookDisabledAfterFailures, endpoint.Id, endpoint.AccountId, new { endpoint.Url, Reason = reason });
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
