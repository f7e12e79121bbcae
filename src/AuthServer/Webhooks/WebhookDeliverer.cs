using AuthServer.Audit;
using AuthServer.Data;
using AuthServer.Events;
using AuthServer.Observability;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Webhooks;

/// <summary>
/// Runs on every instance: takes the deliveries that are due, a batch at a time, and sends them. A batch is claimed
/// with one conditional update, so two instances never hold the same delivery: each event reaches each endpoint
/// once in normal operation. A batch whose instance died is taken over when its claim ends, so a delivery can be
/// repeated under faults (receivers deduplicate by <c>webhook-id</c>), never lost.
/// </summary>
public sealed partial class WebhookDeliverer(
    IServiceScopeFactory scopeFactory,
    WebhookSender sender,
    WebhookSecretProtector secrets,
    AuthServerMetrics metrics,
    TimeProvider time,
    IOptions<WebhookOptions> options,
    ILogger<WebhookDeliverer> logger) : BackgroundService
{
    private readonly WebhookOptions _options = options.Value;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => DatabasePoll.RunAsync(
        _options.PollInterval, time, DeliverDueAsync, exception => LogPollFailed(logger, exception.GetType().Name, exception.Message), stoppingToken);

    /// <summary>Delivers what is due now, batch after batch while batches are full.</summary>
    public async Task DeliverDueAsync(CancellationToken cancellationToken)
    {
        while (await DeliverBatchAsync(cancellationToken) == _options.BatchSize && !cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task<int> DeliverBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var batch = await ClaimAsync(db, cancellationToken);
        if (batch.Count == 0)
        {
            return 0;
        }

        var eventIds = batch.Select(d => d.EventId).Distinct().ToList();
        var events = await db.LifecycleEvents.AsNoTracking().Where(e => eventIds.Contains(e.EventId)).ToDictionaryAsync(e => e.EventId, cancellationToken);
        using var parallel = new SemaphoreSlim(_options.MaxParallel);
        var results = await Task.WhenAll(batch.Select(async delivery =>
        {
            await parallel.WaitAsync(cancellationToken);
            try
            {
                return (delivery, await AttemptAsync(delivery, events.GetValueOrDefault(delivery.EventId), cancellationToken));
            }
            finally
            {
                parallel.Release();
            }
        }));

        var now = time.GetUtcNow().UtcDateTime;
        foreach (var (delivery, result) in results)
        {
            Record(db, delivery, result, now);
        }

        await db.SaveChangesAsync(CancellationToken.None); // what was sent is recorded even while stopping
        await new WebhookEndpointHealth(db, scope.ServiceProvider.GetRequiredService<AuditLog>(), _options)
            .RecordAsync(results.Select(r => (r.delivery.Endpoint!, r.Item2.Delivered)).ToList(), now, CancellationToken.None);
        return batch.Count;
    }

    private async Task<List<WebhookDelivery>> ClaimAsync(AuthDbContext db, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var deliveries = db.Set<WebhookDelivery>();
        var due = await deliveries
            .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now && (d.ClaimedUntil == null || d.ClaimedUntil < now) && d.Endpoint!.Enabled)
            .OrderBy(d => d.NextAttemptAt)
            .Select(d => d.Id)
            .Take(_options.BatchSize)
            .ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return [];
        }

        // The condition is checked again by the update itself: of two instances that read the same rows, only one
        // sets its token on each.
        var token = Guid.NewGuid();
        var until = now + _options.ClaimDuration;
        await deliveries
            .Where(d => due.Contains(d.Id) && d.Status == WebhookDeliveryStatus.Pending && (d.ClaimedUntil == null || d.ClaimedUntil < now))
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.ClaimToken, token).SetProperty(d => d.ClaimedUntil, until), cancellationToken);
        return await deliveries.Include(d => d.Endpoint).Where(d => d.ClaimToken == token).ToListAsync(cancellationToken);
    }

    private async Task<WebhookAttemptResult> AttemptAsync(WebhookDelivery delivery, LifecycleEvent? lifecycleEvent, CancellationToken cancellationToken)
    {
        if (lifecycleEvent is null)
        {
            return new(false, null, "the event no longer exists", 0);
        }

        string secret;
        try
        {
            secret = secrets.Unprotect(delivery.Endpoint!.ProtectedSecret);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return new(false, null, "the endpoint's signing secret cannot be read (the Data Protection key ring lacks its key)", 0);
        }

        var result = await sender.SendAsync(delivery.Endpoint.Url, secret, lifecycleEvent, cancellationToken);
        if (!result.Delivered)
        {
            LogAttemptFailed(logger, delivery.EventId, delivery.EndpointId, result.Error ?? "");
        }

        return result;
    }

    private void Record(AuthDbContext db, WebhookDelivery delivery, WebhookAttemptResult result, DateTime now)
    {
        delivery.Attempts++;
        delivery.LastAttemptAt = now;
        delivery.ClaimToken = null;
        delivery.ClaimedUntil = null;
        if (result.Delivered)
        {
            delivery.Status = WebhookDeliveryStatus.Delivered;
            delivery.DeliveredAt = now;
            metrics.WebhookAttempted(WebhookResults.Delivered);
        }
        else if (delivery.RetriesLeft > 0)
        {
            var retries = _options.Retries;
            delivery.NextAttemptAt = now + retries[Math.Clamp(retries.Count - delivery.RetriesLeft, 0, retries.Count - 1)];
            delivery.RetriesLeft--;
            metrics.WebhookAttempted(WebhookResults.Retrying);
        }
        else
        {
            delivery.Status = WebhookDeliveryStatus.Failed;
            metrics.WebhookAttempted(WebhookResults.Failed);
        }

        db.Add(new WebhookAttempt
        {
            DeliveryId = delivery.Id,
            AttemptedAt = now,
            StatusCode = result.StatusCode,
            Error = result.Error,
            DurationMilliseconds = result.DurationMilliseconds,
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook deliveries could not be read or recorded ({ExceptionType}: {Reason}); the next poll tries again.")]
    private static partial void LogPollFailed(ILogger logger, string exceptionType, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivery of {EventId} to {EndpointId} failed: {Reason}.")]
    private static partial void LogAttemptFailed(ILogger logger, string eventId, string endpointId, string reason);
}
