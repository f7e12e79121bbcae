using AuthServer.Accounts;
using AuthServer.Data;
using AuthServer.Failures;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.ApiKeys;

public sealed class ApiKeyQueries(AuthDbContext db, KeyUsageRecorder usage, TimeProvider time)
{
    public async Task<Page<ApiKeyView>> ListAsync(
        AccountScope scope, ApiKeyStatus? status, int skip, int take, CancellationToken cancellationToken, KeyEnvironment? environment = null)
    {
        Paging.Validate(skip, take);

        var now = time.GetUtcNow().UtcDateTime;
        var accountId = scope.AccountId;
        var keys = db.ApiKeys.AsNoTracking().Where(k => accountId == null || k.AccountId == accountId);
        if (status is { } wanted)
        {
            keys = keys.Where(ApiKeyStatusRule.HasStatusAt(wanted, now));
        }

        if (environment is { } only)
        {
            keys = keys.Where(k => k.Environment == only);
        }

        var page = await keys.OrderByDescending(k => k.CreatedAt).ThenBy(k => k.Id).Skip(skip).Take(take + 1).ToListAsync(cancellationToken);
        var ids = page.Select(k => k.Id).ToList();
        var publishable = await db.PublishableKeys.AsNoTracking().Where(p => ids.Contains(p.KeyId))
            .ToDictionaryAsync(p => p.KeyId, p => p.Id, StringComparer.Ordinal, cancellationToken);
        return Paging.From(page.Select(k => ApiKeyView.From(k, now, usage.PendingFor(k.Id), publishable.GetValueOrDefault(k.Id), usage.PendingFor(k.Id, SecretMatch.Previous))).ToList(), skip, take);
    }

    public async Task<ApiKeyView> GetAsync(AccountScope scope, string keyId, CancellationToken cancellationToken)
    {
        var accountId = scope.AccountId;
        var key = await db.ApiKeys.AsNoTracking()
            .FirstOrDefaultAsync(k => k.Id == keyId && (accountId == null || k.AccountId == accountId), cancellationToken);
        if (key is null || !IsExactly(key, keyId, scope))
        {
            throw NotFound(keyId);
        }

        var publishableKey = await db.PublishableKeys.AsNoTracking().Where(p => p.KeyId == key.Id).Select(p => p.Id).FirstOrDefaultAsync(cancellationToken);
        return ApiKeyView.From(key, time.GetUtcNow().UtcDateTime, usage.PendingFor(key.Id), publishableKey, usage.PendingFor(key.Id, SecretMatch.Previous));
    }

    /// <summary>
    /// The key, tracked, to change it: of the caller's account (else not found) and not revoked (a revoked key cannot
    /// be changed). Every change to a key and its browser mode starts here.
    /// </summary>
    public async Task<ApiKey> FindChangeableAsync(AccountScope scope, string keyId, CancellationToken cancellationToken)
    {
        var accountId = scope.AccountId;
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == keyId && (accountId == null || k.AccountId == accountId), cancellationToken);
        if (key is null || !IsExactly(key, keyId, scope))
        {
            throw NotFound(keyId);
        }

        if (key.RevokedAt is not null)
        {
            throw new ConflictException($"Key '{keyId}' was revoked at {key.RevokedAt:yyyy-MM-ddTHH:mm:ssZ}; a revoked key cannot be changed.");
        }

        return key;
    }

    /// <summary>The database may match IDs loosely (SQL Server: case, trailing spaces); AuthServer's IDs are exact.</summary>
    internal static bool IsExactly(ApiKey key, string keyId, AccountScope scope) =>
        string.Equals(key.Id, keyId, StringComparison.Ordinal) && scope.Includes(key.AccountId);

    internal static NotFoundException NotFound(string keyId) => new($"No key '{keyId}'.");
}
