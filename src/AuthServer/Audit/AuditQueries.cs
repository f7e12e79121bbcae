using System.Text.Json;
using AuthServer.Accounts;
using AuthServer.Data;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Audit;

public sealed record AuditEntryView(long Id, DateTime At, string Actor, string ActorAddress, string? AccountId, string Action, string Subject, JsonElement? Details);

public sealed class AuditQueries(AuthDbContext db)
{
    public async Task<Page<AuditEntryView>> ListAsync(AccountScope scope, int skip, int take, CancellationToken cancellationToken)
    {
        Paging.Validate(skip, take);

        var accountId = scope.AccountId;
        var entries = await db.AuditEntries.AsNoTracking()
            .Where(e => accountId == null || e.AccountId == accountId)
            .OrderByDescending(e => e.Id)
            .Skip(skip)
            .Take(take + 1)
            .ToListAsync(cancellationToken);
        return Paging.From(entries.Select(e => new AuditEntryView(
            e.Id, e.At, e.ActorId, e.ActorAddress, e.AccountId, e.Action, e.Subject,
            e.Details is null ? null : JsonSerializer.Deserialize<JsonElement>(e.Details))).ToList(), skip, take);
    }
}
