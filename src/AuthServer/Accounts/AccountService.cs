using AuthServer.ApiKeys;
using AuthServer.Audit;
using AuthServer.Clients;
using AuthServer.Data;
using AuthServer.Failures;
using AuthServer.Secrets;
using AuthServer.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthServer.Accounts;

/// <param name="KeyLimit">The limit in force: the account's own, or the configured default.</param>
/// <param name="HasOwnLimit">True when an operator set the limit for this account.</param>
/// <param name="KeyLimit">The most active keys of each environment: live keys and test keys are counted apart.</param>
/// <param name="ActiveKeys">Active live keys (every key made before environments existed is live).</param>
/// <param name="ActiveTestKeys">Active test keys.</param>
public sealed record AccountView(string Id, string Name, int KeyLimit, bool HasOwnLimit, int ActiveKeys, int ActiveTestKeys, DateTime CreatedAt);

public sealed class AccountService(AuthDbContext db, AuditLog audit, TimeProvider time, IOptions<ApiKeyOptions> options)
{
    public const string IdPrefix = "acct_";
    public const int MaxKeyLimit = 10_000;

    public async Task<AccountView> CreateAsync(string name, int? keyLimit, Actor actor, CancellationToken cancellationToken)
    {
        TextRule.Require("name", name);
        name = name.Trim();
        if (name.Length is 0 or > Account.MaxNameLength)
        {
            throw new InvalidFieldException("name", $"An account name is 1 to {Account.MaxNameLength} characters.");
        }

        ValidateLimit(keyLimit);
        var account = new Account
        {
            Id = IdPrefix + Base62.RandomString(12),
            Name = name,
            KeyLimit = keyLimit,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Accounts.Add(account);
        audit.Record(actor, AuditActions.AccountCreated, account.Id, account.Id, new { account.Name, account.KeyLimit });
        await db.SaveChangesAsync(cancellationToken);
        return ToView(account, activeKeys: 0, activeTestKeys: 0);
    }

    public async Task<IReadOnlyList<AccountView>> ListAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var active = ApiKeyStatusRule.IsActiveAt(now);
        var rows = await db.Accounts.AsNoTracking()
            .OrderBy(a => a.CreatedAt)
            .Select(a => new
            {
                Account = a,
                Active = db.ApiKeys.Where(k => k.AccountId == a.Id && k.Environment == KeyEnvironment.Live).Count(active),
                ActiveTest = db.ApiKeys.Where(k => k.AccountId == a.Id && k.Environment == KeyEnvironment.Test).Count(active),
            })
            .ToListAsync(cancellationToken);
        return rows.Select(row => ToView(row.Account, row.Active, row.ActiveTest)).ToList();
    }

    /// <summary>Throws the not-found answer unless the account exists (IDs compare exactly, whatever the database's collation).</summary>
    public async Task RequireAsync(string accountId, CancellationToken cancellationToken)
    {
        if (!TextRule.IsAllowed(accountId))
        {
            throw NoAccount(accountId); // no account has such an ID, and the database must not be asked (PostgreSQL refuses NUL)
        }

        var found = await db.Accounts.AsNoTracking().Where(a => a.Id == accountId).Select(a => a.Id).FirstOrDefaultAsync(cancellationToken);
        if (!string.Equals(found, accountId, StringComparison.Ordinal))
        {
            throw NoAccount(accountId);
        }
    }

    public async Task<AccountView> GetAsync(string accountId, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == accountId, cancellationToken);
        if (account is null || !string.Equals(account.Id, accountId, StringComparison.Ordinal))
        {
            throw NoAccount(accountId);
        }

        var now = time.GetUtcNow().UtcDateTime;
        return ToView(account,
            await ActiveKeyLimit.CountActiveAsync(db, accountId, KeyEnvironment.Live, now, cancellationToken),
            await ActiveKeyLimit.CountActiveAsync(db, accountId, KeyEnvironment.Test, now, cancellationToken));
    }

    /// <summary>Sets the account's own active-key limit; null returns it to the configured default.</summary>
    public async Task<AccountView> SetKeyLimitAsync(string accountId, int? keyLimit, Actor actor, CancellationToken cancellationToken)
    {
        ValidateLimit(keyLimit);
        var account = await db.Accounts.FirstOrDefaultAsync(a => a.Id == accountId, cancellationToken);
        if (account is null || !string.Equals(account.Id, accountId, StringComparison.Ordinal))
        {
            throw NoAccount(accountId);
        }

        audit.Record(actor, AuditActions.AccountKeyLimitSet, accountId, accountId, new { From = account.KeyLimit, To = keyLimit });
        account.KeyLimit = keyLimit;
        await db.SaveChangesAsync(cancellationToken);
        return await GetAsync(accountId, cancellationToken);
    }

    internal static NotFoundException NoAccount(string accountId) => new($"No account '{accountId}'.");

    private static void ValidateLimit(int? keyLimit)
    {
        if (keyLimit is < 0 or > MaxKeyLimit)
        {
            throw new InvalidFieldException("keyLimit", $"A key limit is between 0 and {MaxKeyLimit}.");
        }
    }

    private AccountView ToView(Account account, int activeKeys, int activeTestKeys) =>
        new(account.Id, account.Name, account.KeyLimit ?? options.Value.DefaultKeyLimit, account.KeyLimit is not null, activeKeys, activeTestKeys, account.CreatedAt);
}
