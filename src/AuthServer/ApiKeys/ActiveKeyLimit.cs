using AuthServer.Data;
using AuthServer.Failures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.ApiKeys;

/// <summary>
/// Keeps an account within its active-key limit even under concurrent requests, on every provider: inside
/// the caller's transaction it first updates the account row (which makes other transactions that want the
/// same account wait for this one to end), then counts the active keys.
/// </summary>
public sealed class ActiveKeyLimit(AuthDbContext db, IOptions<ApiKeyOptions> options)
{
    /// <param name="newKey">True when a key is being created (counted in <c>Account.KeysCreated</c>).</param>
    public async Task EnsureRoomForOneMoreAsync(string accountId, DateTime now, bool newKey, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("The active-key limit can only be checked inside a transaction.");
        }

        var increment = newKey ? 1 : 0;
        var locked = await db.Accounts.Where(a => a.Id == accountId)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.KeysCreated, a => a.KeysCreated + increment), cancellationToken);
        if (locked == 0)
        {
            throw new NotFoundException($"No account '{accountId}'.");
        }

        var limit = await db.Accounts.Where(a => a.Id == accountId).Select(a => a.KeyLimit).FirstAsync(cancellationToken)
            ?? options.Value.DefaultKeyLimit;
        var active = await CountActiveAsync(db, accountId, now, cancellationToken);
        if (active >= limit)
        {
            throw new KeyLimitReachedException(accountId, limit, active);
        }
    }

    public static Task<int> CountActiveAsync(AuthDbContext db, string accountId, DateTime now, CancellationToken cancellationToken) =>
        db.ApiKeys.CountAsync(k => k.AccountId == accountId && k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > now), cancellationToken);
}
