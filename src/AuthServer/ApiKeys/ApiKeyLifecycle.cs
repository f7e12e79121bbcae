using AuthServer.Accounts;
using AuthServer.Audit;
using AuthServer.Clients;
using AuthServer.Data;
using AuthServer.Failures;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace AuthServer.ApiKeys;

/// <summary>
/// Rename, extend, allow or forbid direct use, revoke. Each method takes the account the caller is bound to (null for an operator at the
/// CLI, who may act on any account); a key of another account is reported as not found. Each call is one
/// transaction: a request that fails changes nothing.
/// </summary>
public sealed class ApiKeyLifecycle(
    AuthDbContext db,
    ApiKeyQueries queries,
    ActiveKeyLimit limit,
    KeyExpiryPolicy expiryPolicy,
    ClientChangeLog changes,
    ClientDirectory directory,
    AuditLog audit,
    TimeProvider time)
{
    public Task<ApiKeyView> RenameAsync(AccountScope scope, string keyId, string newName, Actor actor, CancellationToken cancellationToken) =>
        UpdateAsync(scope, keyId, newName, newExpiresAt: null, newDirectUse: null, actor, cancellationToken);

    public Task<ApiKeyView> ExtendAsync(AccountScope scope, string keyId, DateTime newExpiresAt, Actor actor, CancellationToken cancellationToken) =>
        UpdateAsync(scope, keyId, newName: null, newExpiresAt, newDirectUse: null, actor, cancellationToken);

    public Task<ApiKeyView> SetDirectUseAsync(AccountScope scope, string keyId, bool directUse, Actor actor, CancellationToken cancellationToken) =>
        UpdateAsync(scope, keyId, newName: null, newExpiresAt: null, directUse, actor, cancellationToken);

    /// <summary>
    /// Renames, moves the expiry later and/or allows or forbids direct use at resource servers; the secret and
    /// scopes never change. An expired key can be extended too, which makes it active again, so in that case the
    /// account's limit is checked as for a new key. A change of expiry or direct use goes on the change feed, so
    /// every instance honours it within its staleness bound.
    /// </summary>
    public async Task<ApiKeyView> UpdateAsync(
        AccountScope scope, string keyId, string? newName, DateTime? newExpiresAt, bool? newDirectUse, Actor actor, CancellationToken cancellationToken)
    {
        if (newName is null && newExpiresAt is null && newDirectUse is null)
        {
            throw new InvalidFieldException("body", "Nothing to change: give a new name, a new expiry and/or directUse.");
        }

        var name = newName is null ? null : ApiKeyNames.Normalize(newName) ?? throw new InvalidFieldException("name", "The new name cannot be empty.");
        var now = time.GetUtcNow().UtcDateTime;
        var expiresAt = newExpiresAt is null ? (DateTime?)null : expiryPolicy.Validate(newExpiresAt.Value, now);

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (expiresAt is not null)
            {
                // An extension can revive an expired key, so it takes the account's lock before reading the key: no
                // other key of the account is created or revived between its count of active keys and its commit.
                await limit.LockAccountAsync(await AccountOfAsync(keyId, cancellationToken), cancellationToken);
            }

            var key = await FindLiveKeyAsync(scope, keyId, cancellationToken);
            if (name is not null)
            {
                audit.Record(actor, AuditActions.KeyRenamed, keyId, key.AccountId, new { From = key.Name, To = name });
                key.Name = name;
            }

            if (expiresAt is not null)
            {
                await ExtendAsync(key, expiresAt.Value, now, actor, cancellationToken);
            }

            if (newDirectUse is { } directUse && directUse != key.DirectUse)
            {
                audit.Record(actor, AuditActions.KeyDirectUseSet, keyId, key.AccountId, new { From = key.DirectUse, To = directUse });
                key.DirectUse = directUse;
                changes.Add(key.Id);
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        if (expiresAt is not null || newDirectUse is not null)
        {
            directory.Evict(keyId);
        }

        return await queries.GetAsync(scope, keyId, cancellationToken);
    }

    /// <summary>
    /// Immediate and irreversible: the key's OpenIddict client (and with it the secret hash, and any previous secret in a roll's grace) is deleted, the
    /// lifecycle record stays as the audit trace, and every instance stops accepting the key.
    /// </summary>
    public async Task<ApiKeyView> RevokeAsync(AccountScope scope, string keyId, Actor actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var key = await FindLiveKeyAsync(scope, keyId, cancellationToken);

            // Conditional, so that of two concurrent revocations exactly one succeeds (the other waits for the
            // row, then finds it revoked).
            var revoked = await db.ApiKeys.Where(k => k.Id == key.Id && k.RevokedAt == null)
                .ExecuteUpdateAsync(set => set.SetProperty(k => k.RevokedAt, now).SetProperty(k => k.RevokedBy, actor.Id).SetProperty(k => k.SecretHash, (string?)null)
                    .SetProperty(k => k.PreviousSecretHash, (string?)null), cancellationToken);
            if (revoked == 0)
            {
                throw new ConflictException($"Key '{keyId}' was just revoked by another request.");
            }

            changes.Add(key.Id);
            audit.Record(actor, AuditActions.KeyRevoked, key.Id, key.AccountId);
            await db.SaveChangesAsync(cancellationToken);
            await db.Set<OpenIddictEntityFrameworkCoreApplication>()
                .Where(application => application.ClientId == key.Id)
                .ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        directory.Evict(keyId);
        return await queries.GetAsync(scope, keyId, cancellationToken);
    }

    private async Task ExtendAsync(ApiKey key, DateTime expiresAt, DateTime now, Actor actor, CancellationToken cancellationToken)
    {
        if (key.ExpiresAt is null)
        {
            throw new ConflictException($"Key '{key.Id}' never expires; there is nothing to extend.");
        }

        if (expiresAt <= key.ExpiresAt)
        {
            throw new InvalidFieldException("expiresAt", $"The new expiry must be later than the current one ({key.ExpiresAt:yyyy-MM-ddTHH:mm:ssZ}).");
        }

        if (key.ExpiresAt <= now)
        {
            await limit.EnsureRoomForOneMoreAsync(key.AccountId, key.Environment, now, cancellationToken); // the account is locked
        }

        audit.Record(actor, AuditActions.KeyExtended, key.Id, key.AccountId, new { From = key.ExpiresAt, To = expiresAt });
        key.ExpiresAt = expiresAt;
        changes.Add(key.Id);
    }

    private async Task<string> AccountOfAsync(string keyId, CancellationToken cancellationToken) =>
        await db.ApiKeys.Where(k => k.Id == keyId).Select(k => k.AccountId).FirstOrDefaultAsync(cancellationToken)
        ?? throw ApiKeyQueries.NotFound(keyId);

    private Task<ApiKey> FindLiveKeyAsync(AccountScope scope, string keyId, CancellationToken cancellationToken) =>
        queries.FindChangeableAsync(scope, keyId, cancellationToken);
}
