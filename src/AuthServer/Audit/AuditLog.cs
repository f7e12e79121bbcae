using System.Text.Json;
using AuthServer.Data;

namespace AuthServer.Audit;

/// <summary>Adds audit entries to the caller's unit of work, so an entry is saved exactly when its change is.</summary>
public sealed class AuditLog(AuthDbContext db, TimeProvider time)
{
    public void Record(Actor actor, string action, string subject, string? accountId, object? details = null) =>
        db.AuditEntries.Add(new AuditEntry
        {
            At = time.GetUtcNow().UtcDateTime,
            ActorId = actor.Id,
            ActorAddress = actor.Address,
            AccountId = accountId,
            Action = action,
            Subject = subject,
            Details = details is null ? null : JsonSerializer.Serialize(details, JsonSerializerOptions.Web),
        });
}
