using AuthServer.Accounts;
using AuthServer.Audit;
using AuthServer.Clients;
using AuthServer.Data;
using AuthServer.Failures;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace AuthServer.ApiKeys;

/// <summary>The result of a roll: the only time the new secret is shown.</summary>
public sealed record RolledApiKey(ApiKeyView Key, string Secret);

/// <summary>
/// Rolls a key's secret: a new secret replaces the current one, which keeps working until the grace end the
/// caller chose (<see cref="KeySecretRule"/>). Rolling again during a grace ends the older secret at once: only
/// the secret being replaced gets a grace, so a key never has more than two working secrets. Key ID, scopes, name
/// and expiry do not change. Each call is one transaction with its audit entry and change-feed row.
/// </summary>
public sealed class KeySecretRoller(
    AuthDbContext db,
    ApiKeyQueries queries,
    KeyUsageRecorder usage,
    ClientChangeLog changes,
    ClientDirectory directory,
    AuditLog audit,
    TimeProvider time)
{
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromHours(24);
    public static readonly TimeSpan MaxGrace = TimeSpan.FromDays(7);

    public async Task<RolledApiKey> RollAsync(AccountScope scope, string keyId, TimeSpan? grace, Actor actor, CancellationToken cancellationToken)
    {
        var chosen = grace ?? DefaultGrace;
        if (chosen < TimeSpan.Zero || chosen > MaxGrace)
        {
            throw new InvalidFieldException("graceHours", $"The grace must be between 0 and {MaxGrace.TotalHours:0} hours (7 days).");
        }

        var now = time.GetUtcNow().UtcDateTime;
        string secret;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var key = await queries.FindChangeableAsync(scope, keyId, cancellationToken);
            secret = Secrets.ClientSecret.Generate(key.Environment.Name());
            var hash = Secrets.ClientSecret.Hash(secret);
            var endsAt = now + chosen;

            audit.Record(actor, AuditActions.KeyRolled, key.Id, key.AccountId, new
            {
                GraceEndsAt = endsAt,
                EndedPreviousGrace = key.PreviousSecretHash is not null && KeySecretRule.PreviousAcceptedAt(key.PreviousSecretEndsAt, now),
            });
            key.PreviousSecretLastUsedAt = Later(key.LastUsedAt, usage.PendingFor(key.Id));
            key.PreviousSecretHash = chosen == TimeSpan.Zero ? null : key.SecretHash;
            key.PreviousSecretEndsAt = endsAt;
            key.SecretHash = hash;
            key.LastUsedAt = null;
            key.SecretRolledAt = now;

            // Written even when unchanged here: a flush of an earlier use may have committed since the key was read.
            db.Entry(key).Property(k => k.LastUsedAt).IsModified = true;
            changes.Add(key.Id);
            await db.SaveChangesAsync(cancellationToken);
            await db.Set<OpenIddictEntityFrameworkCoreApplication>()
                .Where(application => application.ClientId == key.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(a => a.ClientSecret, hash).SetProperty(a => a.ConcurrencyToken, Guid.NewGuid().ToString()), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        directory.Evict(keyId);
        return new RolledApiKey(await queries.GetAsync(scope, keyId, cancellationToken), secret);
    }

    /// <summary>Ends a running grace now: the previous secret stops working on every instance within the change feed's bound.</summary>
    public async Task<ApiKeyView> EndGraceAsync(AccountScope scope, string keyId, Actor actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var key = await queries.FindChangeableAsync(scope, keyId, cancellationToken);
            if (key.PreviousSecretHash is null || !KeySecretRule.PreviousAcceptedAt(key.PreviousSecretEndsAt, now))
            {
                throw new ConflictException($"Key '{keyId}' has no previous secret in its grace; there is nothing to end.");
            }

            audit.Record(actor, AuditActions.KeyRollGraceEnded, key.Id, key.AccountId, new { From = key.PreviousSecretEndsAt, To = now });
            key.PreviousSecretHash = null;
            key.PreviousSecretEndsAt = now;
            changes.Add(key.Id);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        directory.Evict(keyId);
        return await queries.GetAsync(scope, keyId, cancellationToken);
    }

    private static DateTime? Later(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
