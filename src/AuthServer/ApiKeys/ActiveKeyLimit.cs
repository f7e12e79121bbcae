using AuthServer.Data;
using AuthServer.Failures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.ApiKeys;

/// <summary>
/// Keeps an account within its active-key limit even under concurrent requests, on every provider: inside
/// the caller's transaction, <see cref="LockAccountAsync"/> updates the account row, which makes any other
/// transaction that wants the same account wait until this one ends; only then are active keys counted.
/// </summary>
public sealed class ActiveKeyLimit(AuthDbContext db, IOptions<ApiKeyOptions> options)
{
    public async Task LockAccountAsync(string accountId, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("An account can only be locked inside a transaction.");
        }

        var locked = await db.Accounts.Where(a => a.Id == accountId)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.KeysCreated, a => a.KeysCreated), cancellationToken);
        var exactId = locked == 0 ? null : await db.Accounts.Where(a => a.Id == accountId).Select(a => a.Id).FirstAsync(cancellationToken);
        if (!string.Equals(exactId, accountId, StringComparison.Ordinal)) // SQL Server matches IDs loosely
        {
            throw new NotFoundException($"No account '{accountId}'.");
        }
    }

    /// <summary>
    /// Throws <see cref="KeyLimitReachedException"/> when one more active key of <paramref name="environment"/> would
    /// exceed the limit. The limit counts each environment on its own, so that test keys made while trying things
    /// out never block a production key, and the other way round. Lock first.
    /// </summary>
    public async Task EnsureRoomForOneMoreAsync(string accountId, KeyEnvironment environment, DateTime now, CancellationToken cancellationToken)
    {
        var limit = await db.Accounts.Where(a => a.Id == accountId).Select(a => a.KeyLimit).FirstAsync(cancellationToken)
            ?? options.Value.DefaultKeyLimit;
        var active = await CountActiveAsync(db, accountId, environment, now, cancellationToken);
        if (active >= limit)
        {
            throw new KeyLimitReachedException(accountId, limit, active, environment.Name());
        }
    }

    public static Task<int> CountActiveAsync(AuthDbContext db, string accountId, KeyEnvironment environment, DateTime now, CancellationToken cancellationToken) =>
        db.ApiKeys.Where(k => k.AccountId == accountId && k.Environment == environment).CountAsync(ApiKeyStatusRule.IsActiveAt(now), cancellationToken);
}
