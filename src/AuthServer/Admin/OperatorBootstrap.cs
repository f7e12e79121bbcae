using AuthServer.Accounts;
using AuthServer.ApiKeys;
using AuthServer.Audit;
using AuthServer.Data;
using AuthServer.Failures;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Admin;

/// <summary>
/// Makes the first operator key, so the admin API can be used at all: an "AuthServer operators" account and a
/// key holding <see cref="AdminScopes.Operator"/>. Refuses once an active operator key exists, so that it
/// cannot be used to mint a second one quietly.
/// </summary>
public sealed class OperatorBootstrap(AuthDbContext db, AccountService accounts, ApiKeyCreator creator, TimeProvider time)
{
    public const string AccountName = "AuthServer operators";

    public async Task<CreatedApiKey> RunAsync(Actor actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var existing = await db.ApiKeys
            .Where(ApiKeyStatusRule.IsActiveAt(now)).Where(k => k.Scopes.Contains(AdminScopes.Operator))
            .Select(k => k.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (existing is not null)
        {
            throw new ConflictException(
                $"An operator key already exists ({existing}); bootstrap only makes the first one. Create more with 'keys create --scope {AdminScopes.Operator}'.");
        }

        var accountId = await db.Accounts.Where(a => a.Name == AccountName).Select(a => a.Id).FirstOrDefaultAsync(cancellationToken)
            ?? (await accounts.CreateAsync(AccountName, keyLimit: null, actor, cancellationToken)).Id;
        return await creator.CreateAsync(
            new CreateApiKeyRequest(accountId, "Bootstrap operator key", [AdminScopes.Operator], ExpiresAt: null), actor, cancellationToken);
    }
}
