using AuthServer.Data;
using AuthServer.Events;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace AuthServer.Webhooks;

/// <summary>
/// Whenever lifecycle events are saved, by whichever code (the server, the CLI, the expiry watcher), a delivery is
/// added for each enabled endpoint of their account that wants their type, in the same SaveChanges and so in the
/// same transaction: an event that commits is delivered even if the process dies right after, and one that does not
/// commit never is.
/// </summary>
public sealed class WebhookOutbox(IOptions<WebhookOptions> options, TimeProvider time) : SaveChangesInterceptor
{
    private sealed record Subscriber(string Id, string AccountId, string EventTypes);

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is AuthDbContext db && NewEvents(db) is { Count: > 0 } events)
        {
            var accounts = events.Select(e => e.AccountId).Distinct().ToList();
            AddDeliveries(db, events, await Subscribers(db, accounts).ToListAsync(cancellationToken));
        }

        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is AuthDbContext db && NewEvents(db) is { Count: > 0 } events)
        {
            var accounts = events.Select(e => e.AccountId).Distinct().ToList();
            AddDeliveries(db, events, [.. Subscribers(db, accounts)]);
        }

        return result;
    }

    private static List<LifecycleEvent> NewEvents(AuthDbContext db)
    {
        // A SaveChanges that failed and is tried again must not add the same deliveries twice.
        var queued = db.ChangeTracker.Entries<WebhookDelivery>().Where(e => e.State == EntityState.Added).Select(e => e.Entity.EventId).ToHashSet();
        return [.. db.ChangeTracker.Entries<LifecycleEvent>()
            .Where(e => e.State == EntityState.Added && !queued.Contains(e.Entity.EventId))
            .Select(e => e.Entity)];
    }

    private static IQueryable<Subscriber> Subscribers(AuthDbContext db, List<string> accounts) =>
        db.Set<WebhookEndpoint>().AsNoTracking()
            .Where(e => e.Enabled && accounts.Contains(e.AccountId))
            .Select(e => new Subscriber(e.Id, e.AccountId, e.EventTypes));

    private void AddDeliveries(AuthDbContext db, List<LifecycleEvent> events, List<Subscriber> subscribers)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var retries = options.Value.Retries.Count;
        foreach (var lifecycleEvent in events)
        {
            foreach (var subscriber in subscribers.Where(s => s.AccountId == lifecycleEvent.AccountId && WebhookEventTypes.Matches(s.EventTypes, lifecycleEvent.Type)))
            {
                db.Add(new WebhookDelivery
                {
                    EndpointId = subscriber.Id,
                    EventId = lifecycleEvent.EventId,
                    Status = WebhookDeliveryStatus.Pending,
                    CreatedAt = now,
                    NextAttemptAt = now,
                    RetriesLeft = retries,
                });
            }
        }
    }
}
