using System.Text.Json;
using AuthServer.Data;
using AuthServer.Events;

namespace AuthServer.Audit;

/// <summary>
/// Adds audit entries to the caller's unit of work, so an entry is saved exactly when its change is; and, for the
/// changes that are lifecycle events (<see cref="LifecycleEventTypes.OfAuditAction"/>), the event too.
/// </summary>
public sealed class AuditLog(AuthDbContext db, TimeProvider time)
{
    public void Record(Actor actor, string action, string subject, string? accountId, object? details = null)
    {
        var entry = new AuditEntry
        {
            At = time.GetUtcNow().UtcDateTime,
            ActorId = actor.Id,
            ActorAddress = actor.Address,
            AccountId = accountId,
            Action = action,
            Subject = subject,
            Details = details is null ? null : JsonSerializer.Serialize(details, JsonSerializerOptions.Web),
        };
        db.AuditEntries.Add(entry);

        if (accountId is not null && LifecycleEventTypes.OfAuditAction(action) is { } type)
        {
            db.LifecycleEvents.Add(new LifecycleEvent
            {
                EventId = LifecycleEvent.NewEventId(),
                Type = type,
                OccurredAt = entry.At,
                AccountId = accountId,
                KeyId = LifecycleEventTypes.IsAboutAKey(type) ? subject : null,
                Subject = subject,
                Details = entry.Details,
            });
        }
    }
}
