using AuthServer.Data;
using AuthServer.Failures;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.ApiKeys;

public sealed class ApiKeyQueries(AuthDbContext db, KeyUsageRecorder usage, TimeProvider time)
{
    public const int MaxPageSize = 200;

    /// <param name="accountId">The account whose keys to list; null lists every account's (operators).</param>
    public async Task<IReadOnlyList<ApiKeyView>> ListAsync(
        string? accountId, ApiKeyStatus? status, int skip, int take, CancellationToken cancellationToken)
    {
        if (skip < 0)
        {
            throw new InvalidFieldException("skip", "skip cannot be negative.");
        }

        if (take is < 1 or > MaxPageSize)
        {
            throw new InvalidFieldException("take", $"take is between 1 and {MaxPageSize}.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var keys = db.ApiKeys.AsNoTracking().Where(k => accountId == null || k.AccountId == accountId);
        keys = status switch
        {
            ApiKeyStatus.Active => keys.Where(k => k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > now)),
            ApiKeyStatus.Expired => keys.Where(k => k.RevokedAt == null && k.ExpiresAt <= now),
            ApiKeyStatus.Revoked => keys.Where(k => k.RevokedAt != null),
            _ => keys,
        };

        var page = await keys.OrderByDescending(k => k.CreatedAt).ThenBy(k => k.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
        return page.Select(k => ApiKeyView.From(k, now, usage.PendingFor(k.Id))).ToList();
    }

    public async Task<ApiKeyView> GetAsync(string? accountId, string keyId, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.AsNoTracking()
            .FirstOrDefaultAsync(k => k.Id == keyId && (accountId == null || k.AccountId == accountId), cancellationToken)
            ?? throw NotFound(keyId);
        return ApiKeyView.From(key, time.GetUtcNow().UtcDateTime, usage.PendingFor(key.Id));
    }

    internal static NotFoundException NotFound(string keyId) => new($"No key '{keyId}'.");
}
