using System.Collections.Frozen;
using AuthServer.ApiKeys;
using AuthServer.Browser;
using AuthServer.Data;
using AuthServer.Scopes;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace AuthServer.Clients;

/// <summary>
/// Reads one client (API key or resource server credentials) from the database. IDs match exactly: SQL Server
/// compares case-insensitively and ignores trailing spaces, and a variant spelling of a key ID must not become
/// a second cache entry that a revocation of the real ID would not evict.
/// </summary>
public sealed class ClientSnapshotLoader(IServiceScopeFactory scopeFactory, SigningSecretProtector signingSecrets)
{
    public async Task<ClientSnapshot?> LoadAsync(string clientId, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        if (PublishableKeyFormat.LooksLike(clientId))
        {
            return await LoadPublishableAsync(db, clientId, cancellationToken);
        }

        var application = await db.Set<OpenIddictEntityFrameworkCoreApplication>()
            .AsNoTracking()
            .Where(application => application.ClientId == clientId)
            .Select(application => new { application.ClientId, application.ClientSecret })
            .FirstOrDefaultAsync(cancellationToken);
        var secretHash = application?.ClientId == clientId ? application.ClientSecret : null;

        var key = await db.ApiKeys
            .AsNoTracking()
            .Where(k => k.Id == clientId)
            .Select(k => new { k.Id, k.AccountId, k.Scopes, k.ExpiresAt, k.RevokedAt, k.Environment, k.DirectUse, k.PreviousSecretHash, k.PreviousSecretEndsAt, k.TokensPerMinute, k.AllowedAddresses })
            .FirstOrDefaultAsync(cancellationToken);
        if (key?.Id != clientId)
        {
            key = null;
        }

        if (key is not null)
        {
            var liveOnly = key.Environment == KeyEnvironment.Live ? FrozenSet<string>.Empty
                : await ScopeMark.LiveOnly.AmongAsync(db, key.Scopes, cancellationToken);
            return new ClientSnapshot(clientId, ClientKind.ApiKey, secretHash, key.AccountId,
                key.Scopes.ToFrozenSet(StringComparer.Ordinal), key.ExpiresAt, key.RevokedAt, key.Environment, liveOnly, key.DirectUse, Publishable: null,
                key is { PreviousSecretHash: { } previousHash, PreviousSecretEndsAt: { } endsAt } ? new PreviousSecret(previousHash, endsAt) : null,
                key.TokensPerMinute, Limits.AddressAllowList.FromStored(key.AllowedAddresses));
        }

        return secretHash is null ? null : new ClientSnapshot(clientId, ClientKind.ResourceServer, secretHash,
            AccountId: null, FrozenSet<string>.Empty, ExpiresAt: null, RevokedAt: null, KeyEnvironment.Live, FrozenSet<string>.Empty);
    }

    /// <summary>
    /// A publishable key: the API key's status, account and environment, only those of its scopes that are marked
    /// publishable, and its origins and signing secret.
    /// </summary>
    private async Task<ClientSnapshot?> LoadPublishableAsync(AuthDbContext db, string publishableKey, CancellationToken cancellationToken)
    {
        var row = await db.PublishableKeys.AsNoTracking()
            .Where(p => p.Id == publishableKey)
            .Join(db.ApiKeys, p => p.KeyId, k => k.Id, (p, k) => new
            {
                p.Id, p.KeyId, p.AllowedOrigins, p.ProtectedSigningSecret, k.AccountId, k.Scopes, k.ExpiresAt, k.RevokedAt, k.Environment,
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (row?.Id != publishableKey)
        {
            return null;
        }

        var publishable = await ScopeMark.Publishable.AmongAsync(db, row.Scopes, cancellationToken);
        var liveOnly = row.Environment == KeyEnvironment.Live ? FrozenSet<string>.Empty
            : await ScopeMark.LiveOnly.AmongAsync(db, publishable, cancellationToken);
        var access = new PublishableAccess(row.KeyId, OriginAllowList.FromStored(row.AllowedOrigins),
            row.ProtectedSigningSecret is null ? null : signingSecrets.TryUnprotect(row.ProtectedSigningSecret));
        return new ClientSnapshot(publishableKey, ClientKind.PublishableKey, SecretHash: null, row.AccountId, publishable,
            row.ExpiresAt, row.RevokedAt, row.Environment, liveOnly, DirectUse: false, access);
    }

    /// <summary>
    /// The ID of the live API key whose current or previous secret has this hash (<see cref="ApiKey.SecretHash"/>,
    /// <see cref="ApiKey.PreviousSecretHash"/>), or null. Whether that secret is still accepted is for <see cref="ApiKeys.KeySecretRule"/>.
    /// </summary>
    public async Task<string?> FindKeyIdBySecretHashAsync(string secretHash, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var key = await db.ApiKeys
            .AsNoTracking()
            .Where(k => k.SecretHash == secretHash || k.PreviousSecretHash == secretHash)
            .Select(k => new { k.Id, k.SecretHash, k.PreviousSecretHash })
            .FirstOrDefaultAsync(cancellationToken);
        return key is not null && (key.SecretHash == secretHash || key.PreviousSecretHash == secretHash) ? key.Id : null;
    }
}
