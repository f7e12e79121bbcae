using AuthServer.Accounts;
using AuthServer.Audit;
using AuthServer.Data;
using AuthServer.Failures;
using AuthServer.Text;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Webhooks;

public sealed record WebhookEndpointRequest(string? Url, IReadOnlyCollection<string>? EventTypes, string? Description);

public sealed record WebhookEndpointChange(string? Url, IReadOnlyCollection<string>? EventTypes, string? Description, bool? Enabled);

/// <summary>Registering, changing and removing an account's webhook endpoints, and redelivering; each change audited.</summary>
public sealed class WebhookService(
    AuthDbContext db, WebhookUrlRule urls, WebhookSecretProtector secrets, AuditLog audit, TimeProvider time)
{
    public const int MaxEndpointsPerAccount = 20;
    public const int MaxDescriptionLength = 200;

    public async Task<CreatedWebhookEndpoint> CreateAsync(string accountId, WebhookEndpointRequest request, Actor actor, CancellationToken cancellationToken)
    {
        var url = await urls.ValidateAsync(request.Url, cancellationToken);
        var types = WebhookEventTypes.Normalize(request.EventTypes);
        var description = ValidDescription(request.Description);
        if (await db.Set<WebhookEndpoint>().CountAsync(e => e.AccountId == accountId, cancellationToken) >= MaxEndpointsPerAccount)
        {
            throw new ConflictException($"Account '{accountId}' already has {MaxEndpointsPerAccount} webhook endpoints; remove one first.");
        }

        var secret = WebhookSignature.NewSecret();
        var endpoint = new WebhookEndpoint
        {
            Id = WebhookEndpoint.NewId(),
            AccountId = accountId,
            Url = url,
            EventTypes = types,
            Description = description,
            ProtectedSecret = secrets.Protect(secret),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Add(endpoint);
        audit.Record(actor, AuditActions.WebhookCreated, endpoint.Id, accountId, new { Url = url, EventTypes = types });
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedWebhookEndpoint(WebhookEndpointView.Of(endpoint), secret);
    }

    public async Task<IReadOnlyList<WebhookEndpointView>> ListAsync(string accountId, CancellationToken cancellationToken) =>
        (await db.Set<WebhookEndpoint>().AsNoTracking().Where(e => e.AccountId == accountId).OrderBy(e => e.CreatedAt).ToListAsync(cancellationToken))
            .Select(WebhookEndpointView.Of).ToList();

    public async Task<WebhookEndpointView> GetAsync(string accountId, string id, CancellationToken cancellationToken) =>
        WebhookEndpointView.Of(await FindAsync(accountId, id, tracked: false, cancellationToken));

    /// <summary>Changes what is given; enabling again starts the failure count afresh.</summary>
    public async Task<WebhookEndpointView> UpdateAsync(string accountId, string id, WebhookEndpointChange change, Actor actor, CancellationToken cancellationToken)
    {
        if (change is { Url: null, EventTypes: null, Description: null, Enabled: null })
        {
            throw new InvalidFieldException("body", "Give at least one of url, eventTypes, description, enabled.");
        }

        var endpoint = await FindAsync(accountId, id, tracked: true, cancellationToken);
        if (change.Url is not null)
        {
            endpoint.Url = await urls.ValidateAsync(change.Url, cancellationToken);
        }

        if (change.EventTypes is not null)
        {
            endpoint.EventTypes = WebhookEventTypes.Normalize(change.EventTypes);
        }

        if (change.Description is not null)
        {
            endpoint.Description = ValidDescription(change.Description);
        }

        if (change.Enabled is { } enabled && enabled != endpoint.Enabled)
        {
            endpoint.Enabled = enabled;
            endpoint.DisabledAt = enabled ? null : time.GetUtcNow().UtcDateTime;
            endpoint.DisabledReason = enabled ? null : $"disabled by {actor.Id}";
            endpoint.ConsecutiveFailures = 0;
            endpoint.FailingSince = null;
        }

        audit.Record(actor, AuditActions.WebhookUpdated, endpoint.Id, accountId, new { endpoint.Url, endpoint.EventTypes, endpoint.Enabled });
        await db.SaveChangesAsync(cancellationToken);
        return WebhookEndpointView.Of(endpoint);
    }

    /// <summary>Removes the endpoint with its delivery log; deliveries not yet made are not made.</summary>
    public async Task DeleteAsync(string accountId, string id, Actor actor, CancellationToken cancellationToken)
    {
        var endpoint = await FindAsync(accountId, id, tracked: true, cancellationToken);
        db.Remove(endpoint);
        audit.Record(actor, AuditActions.WebhookDeleted, endpoint.Id, accountId, new { endpoint.Url });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The endpoint's deliveries, newest first, each with its attempts.</summary>
    public async Task<Page<WebhookDeliveryView>> DeliveriesAsync(string accountId, string id, int skip, int take, CancellationToken cancellationToken)
    {
        Paging.Validate(skip, take);
        var endpoint = await FindAsync(accountId, id, tracked: false, cancellationToken);
        var rows = await db.Set<WebhookDelivery>().AsNoTracking().AsSplitQuery()
            .Where(d => d.EndpointId == endpoint.Id)
            .OrderByDescending(d => d.Id)
            .Skip(skip)
            .Take(take + 1)
            .Include(d => d.AttemptLog)
            .ToListAsync(cancellationToken);
        var eventIds = rows.Select(d => d.EventId).ToList();
        var types = await db.LifecycleEvents.AsNoTracking().Where(e => eventIds.Contains(e.EventId))
            .ToDictionaryAsync(e => e.EventId, e => e.Type, cancellationToken);
        return Paging.From(rows.Select(d => View(d, types.GetValueOrDefault(d.EventId, "?"))).ToList(), skip, take);
    }

    /// <summary>Sends the delivery again, once, whatever its state (an endpoint must be enabled to receive it).</summary>
    public async Task<WebhookDeliveryView> RedeliverAsync(string accountId, string id, long deliveryId, Actor actor, CancellationToken cancellationToken)
    {
        var endpoint = await FindAsync(accountId, id, tracked: false, cancellationToken);
        if (!endpoint.Enabled)
        {
            throw new ConflictException($"Webhook endpoint '{id}' is disabled; enable it first (PATCH with enabled: true).");
        }

        var delivery = await db.Set<WebhookDelivery>().Include(d => d.AttemptLog)
            .FirstOrDefaultAsync(d => d.Id == deliveryId && d.EndpointId == endpoint.Id, cancellationToken)
            ?? throw new NotFoundException($"Webhook endpoint '{id}' has no delivery {deliveryId}.");
        delivery.Status = WebhookDeliveryStatus.Pending;
        delivery.NextAttemptAt = time.GetUtcNow().UtcDateTime;
        delivery.RetriesLeft = 0;
        delivery.ClaimToken = null;
        delivery.ClaimedUntil = null;
        audit.Record(actor, AuditActions.WebhookRedelivered, endpoint.Id, accountId, new { Delivery = deliveryId, delivery.EventId });
        await db.SaveChangesAsync(cancellationToken);
        var type = await db.LifecycleEvents.AsNoTracking().Where(e => e.EventId == delivery.EventId).Select(e => e.Type).FirstOrDefaultAsync(cancellationToken);
        return View(delivery, type ?? "?");
    }

    private async Task<WebhookEndpoint> FindAsync(string accountId, string id, bool tracked, CancellationToken cancellationToken)
    {
        var query = db.Set<WebhookEndpoint>().Where(e => e.Id == id && e.AccountId == accountId);
        var endpoint = await (tracked ? query : query.AsNoTracking()).FirstOrDefaultAsync(cancellationToken);
        return endpoint is not null && string.Equals(endpoint.Id, id, StringComparison.Ordinal) && string.Equals(endpoint.AccountId, accountId, StringComparison.Ordinal)
            ? endpoint
            : throw new NotFoundException($"Account '{accountId}' has no webhook endpoint '{id}'.");
    }

    private static string? ValidDescription(string? description)
    {
        if (description is null)
        {
            return null;
        }

        TextRule.Require("description", description);
        return description.Length <= MaxDescriptionLength ? description
            : throw new InvalidFieldException("description", $"description is at most {MaxDescriptionLength} characters.");
    }

    private static WebhookDeliveryView View(WebhookDelivery d, string type) => new(
        d.Id, d.EventId, type, d.Status, d.CreatedAt, d.Attempts,
        d.Status == WebhookDeliveryStatus.Pending ? d.NextAttemptAt : null, d.DeliveredAt,
        d.AttemptLog.OrderBy(a => a.Id).Select(a => new WebhookAttemptView(a.AttemptedAt, a.StatusCode, a.Error, a.DurationMilliseconds)).ToList());
}
