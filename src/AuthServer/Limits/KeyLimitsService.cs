using AuthServer.Accounts;
using AuthServer.ApiKeys;
using AuthServer.Audit;
using AuthServer.Clients;
using AuthServer.Data;

namespace AuthServer.Limits;

/// <summary>
/// Sets a key's limits (tokens per minute, allow-list), replacing both: the one way every surface (admin API, CLI,
/// console) changes them. Audited as <see cref="AuditActions.KeyLimitsChanged"/> (and so a lifecycle event of that
/// type); on the change feed, so every instance applies the new limits within its staleness bound.
/// </summary>
public sealed class KeyLimitsService(
    AuthDbContext db, ApiKeyQueries queries, ClientChangeLog changes, ClientDirectory directory, AuditLog audit)
{
    public async Task<ApiKeyView> SetAsync(
        AccountScope scope, string keyId, int? tokensPerMinute, IEnumerable<string?>? allowedAddresses, Actor actor, CancellationToken cancellationToken)
    {
        var limits = KeyLimitsRule.Validate(tokensPerMinute, allowedAddresses);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var key = await queries.FindChangeableAsync(scope, keyId, cancellationToken);
            var from = Describe(key.TokensPerMinute, key.AllowedAddresses);
            var to = Describe(limits.TokensPerMinute, limits.AllowedAddresses.Entries);
            if (from.TokensPerMinute == to.TokensPerMinute && from.AllowedAddresses.SequenceEqual(to.AllowedAddresses, StringComparer.Ordinal))
            {
                return await queries.GetAsync(scope, keyId, cancellationToken);
            }

            audit.Record(actor, AuditActions.KeyLimitsChanged, key.Id, key.AccountId, new { From = from, To = to });
            key.TokensPerMinute = limits.TokensPerMinute;
            key.AllowedAddresses = Stored(limits.AllowedAddresses);
            changes.Add(key.Id);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        directory.Evict(keyId);
        return await queries.GetAsync(scope, keyId, cancellationToken);
    }

    /// <summary>What the key record stores: null for "any address".</summary>
    public static List<string>? Stored(AddressAllowList allowList) => allowList.IsAny ? null : [.. allowList.Entries];

    private static LimitsDescription Describe(int? tokensPerMinute, IReadOnlyList<string>? allowedAddresses) =>
        new(tokensPerMinute, allowedAddresses ?? []);

    private sealed record LimitsDescription(int? TokensPerMinute, IReadOnlyList<string> AllowedAddresses);
}
