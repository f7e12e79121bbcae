using AuthServer.Clients;
using AuthServer.Data;
using AuthServer.Failures;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace AuthServer.ApiKeys;

/// <summary>
/// Rename, extend, revoke. Each method takes the account the caller is bound to (null for an operator, who
/// may act on any account); a key of another account is reported as not found.
/// </summary>
public sealed class ApiKeyLifecycle(
    AuthDbContext db,
    ApiKeyQueries queries,
    ActiveKeyLimit limit,
    KeyExpiryPolicy expiryPolicy,
    ClientChangeLog changes,
    ClientDirectory directory,
    TimeProvider time)
{
    public async Task<ApiKeyView> RenameAsync(string? accountId, string keyId, string newName, CancellationToken cancellationToken)
    {
        var name = ApiKeyNames.Normalize(newName) ?? throw new InvalidFieldException("name", "The new name cannot be empty.");
        var key = await FindLiveKeyAsync(accountId, keyId, cancellationToken);
        key.Name = name;
        await db.SaveChangesAsync(cancellationToken);
        return await queries.GetAsync(accountId, keyId, cancellationToken);
    }

    /// <summary>
    /// Moves the expiry later; the secret does not change. An expired key can be extended too, which makes
    /// it active again, so in that case the account's limit is checked as for a new key.
    /// </summary>
    public async Task<ApiKeyView> ExtendAsync(string? accountId, string keyId, DateTime newExpiresAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        newExpiresAt = expiryPolicy.Validate(newExpiresAt, now);

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var key = await FindLiveKeyAsync(accountId, keyId, cancellationToken);
            if (key.ExpiresAt is null)
            {
                throw new ConflictException($"Key '{keyId}' never expires; there is nothing to extend.");
            }

            if (newExpiresAt <= key.ExpiresAt)
            {
                throw new InvalidFieldException("expiresAt", $"The new expiry must be later than the current one ({key.ExpiresAt:yyyy-MM-ddTHH:mm:ssZ}).");
            }

            if (key.ExpiresAt <= now)
            {
                await limit.EnsureRoomForOneMoreAsync(key.AccountId, now, newKey: false, cancellationToken);
            }

            key.ExpiresAt = newExpiresAt;
            changes.Add(keyId);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        directory.Evict(keyId);
        return await queries.GetAsync(accountId, keyId, cancellationToken);
    }

    /// <summary>
    /// Immediate and irreversible: the key's OpenIddict client (and with it the secret hash) is deleted, the
    /// lifecycle record stays as the audit trace, and every instance stops accepting the key.
    /// </summary>
    public async Task<ApiKeyView> RevokeAsync(string? accountId, string keyId, string actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var key = await FindLiveKeyAsync(accountId, keyId, cancellationToken);
            key.RevokedAt = now;
            key.RevokedBy = actor;
            changes.Add(keyId);
            await db.SaveChangesAsync(cancellationToken);
            await db.Set<OpenIddictEntityFrameworkCoreApplication>()
                .Where(application => application.ClientId == keyId)
                .ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        directory.Evict(keyId);
        return await queries.GetAsync(accountId, keyId, cancellationToken);
    }

    private async Task<ApiKey> FindLiveKeyAsync(string? accountId, string keyId, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == keyId && (accountId == null || k.AccountId == accountId), cancellationToken)
            ?? throw ApiKeyQueries.NotFound(keyId);
        if (key.RevokedAt is not null)
        {
            throw new ConflictException($"Key '{keyId}' was revoked at {key.RevokedAt:yyyy-MM-ddTHH:mm:ssZ}; a revoked key cannot be changed.");
        }

        return key;
    }
}
