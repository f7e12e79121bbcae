using System.Text.Json;
using AuthServer.Accounts;
using AuthServer.Data;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Events;

/// <summary>An event as the admin API and the CLI show it.</summary>
/// <param name="Id">The stable event ID receivers deduplicate by.</param>
/// <param name="Sequence">The order events were written in (across the whole server); what <c>after</c> pages from.</param>
public sealed record LifecycleEventView(string Id, long Sequence, string Type, DateTime OccurredAt, string AccountId, string? KeyId, string Subject, JsonElement? Details);

public sealed class LifecycleEventQueries(AuthDbContext db)
{
    /// <summary>The account's events, newest first.</summary>
    public async Task<Page<LifecycleEventView>> ListAsync(AccountScope scope, int skip, int take, CancellationToken cancellationToken)
    {
        Paging.Validate(skip, take);
        var accountId = scope.AccountId;
        var rows = await db.LifecycleEvents.AsNoTracking()
            .Where(e => accountId == null || e.AccountId == accountId)
            .OrderByDescending(e => e.Id)
            .Skip(skip)
            .Take(take + 1)
            .ToListAsync(cancellationToken);
        return Paging.From(rows.Select(View).ToList(), skip, take);
    }

    private static LifecycleEventView View(LifecycleEvent e) => new(
        e.EventId, e.Id, e.Type, e.OccurredAt, e.AccountId, e.KeyId, e.Subject,
        e.Details is null ? null : JsonSerializer.Deserialize<JsonElement>(e.Details));
}
