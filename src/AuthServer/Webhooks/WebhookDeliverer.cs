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

    /// <summary>Delivers what is due now, batch after batch while due deliveries are left.</summary>
    public async Task DeliverDueAsync(CancellationToken cancellationToken)
    {
        while (await DeliverBatchAsync(cancellationToken) && !cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> DeliverBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var (batch, moreDue) = await WebhookClaim.ClaimAsync(db, _options, time.GetUtcNow().UtcDateTime, cancellationToken);
        if (batch.Count == 0)
        {
            return false;
        }

        var eventIds = batch.Select(d => d.EventId).Distinct().ToList();
        var events = await db.LifecycleEvents.AsNoTracking().Where(e => eventIds.Contains(e.EventId)).ToDictionaryAsync(e => e.EventId, cancellationToken);
        using var parallel = new SemaphoreSlim(_options.MaxParallel);
        var chains = await Task.WhenAll(batch.GroupBy(d => d.EndpointId).Select(async endpoint =>
        {
            await parallel.WaitAsync(cancellationToken);
            try
            {
                return await DeliverInTurnAsync([.. endpoint], events, cancellationToken);
            }
            finally
            {
                parallel.Release();
            }
        }));

        var attempts = chains.SelectMany(chain => chain).ToList();
        foreach (var (delivery, result, at) in attempts)
        {
            Record(db, delivery, result, at);
        }

        await db.SaveChangesAsync(CancellationToken.None); // what was sent is recorded even while stopping
        await new WebhookEndpointHealth(db, scope.ServiceProvider.GetRequiredService<AuditLog>(), _options)
            .RecordAsync([.. attempts.Select(a => (a.Delivery.Endpoint!, a.Result.Delivered))], time.GetUtcNow().UtcDateTime, CancellationToken.None);
        return moreDue || batch.Count == _options.BatchSize;
    }

    /// <summary>
    /// Sends one endpoint's deliveries one after the other, oldest first. After a failure the rest wait for the first
    /// retry, and after <see cref="WebhookOptions.AttemptTimeout"/> of sending they wait for the next batch: a receiver
    /// that hangs costs one attempt per batch, not one per delivery.
    /// </summary>
    private async Task<List<(WebhookDelivery Delivery, WebhookAttemptResult Result, DateTime At)>> DeliverInTurnAsync(
        List<WebhookDelivery> deliveries, Dictionary<string, LifecycleEvent> events, CancellationToken cancellationToken)
    {
        var attempted = new List<(WebhookDelivery, WebhookAttemptResult, DateTime)>();
        var started = time.GetTimestamp();
        DateTime? wait = null;
        foreach (var delivery in deliveries)
        {
            if (wait is not null || time.GetElapsedTime(started) >= _options.AttemptTimeout)
            {
                delivery.ClaimToken = null;
                delivery.ClaimedUntil = null;
                delivery.NextAttemptAt = wait ?? delivery.NextAttemptAt;
                continue;
            }

            var result = await AttemptAsync(delivery, events.GetValueOrDefault(delivery.EventId), cancellationToken);
            var now = time.GetUtcNow().UtcDateTime;
            attempted.Add((delivery, result, now));
            if (!result.Delivered)
            {
                wait = now + _options.Retries[0];
            }
        }

        return attempted;
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
