using AuthServer.Accounts;
using AuthServer.ApiKeys;
using AuthServer.Audit;
using AuthServer.Clients;
using AuthServer.Data;
using AuthServer.Failures;
using AuthServer.Scopes;
using AuthServer.Secrets;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Browser;

/// <summary>A key's browser mode as the admin API, the CLI and the console show it; never the signing secret.</summary>
/// <param name="Scopes">What the publishable key reaches: the key's scopes that are marked publishable.</param>
public sealed record PublishableKeyView(
    string KeyId,
    string PublishableKey,
    KeyEnvironment Environment,
    IReadOnlyList<string> AllowedOrigins,
    IReadOnlyList<string> Scopes,
    bool HasSigningSecret,
    DateTime? SigningSecretCreatedAt,
    DateTime CreatedAt,
    DateTime UpdatedAt);

/// <param name="SigningSecret">Shown once, here; stored only encrypted.</param>
public sealed record GeneratedSigningSecret(PublishableKeyView PublishableKey, string SigningSecret);

/// <summary>
/// Gives a key a publishable key, sets its allowed origins, regenerates it, removes it, and generates the key's
/// signing secret. Each call is one transaction with its audit entry and its change-feed row, so every instance
/// stops honouring an old publishable key or origin within the change feed's bound. Keys of other accounts are not
/// found; revoked keys cannot be changed (<see cref="ApiKeyQueries.FindChangeableAsync"/>).
/// </summary>
public sealed class PublishableKeyService(
    AuthDbContext db,
    ApiKeyQueries queries,
    SigningSecretProtector signingSecrets,
    ClientChangeLog changes,
    ClientDirectory directory,
    AuditLog audit,
    TimeProvider time)
{
    public const string SigningSecretNote = "Store the signing secret now, on your backend only: it is shown only in this response.";

    public async Task<PublishableKeyView> GetAsync(AccountScope scope, string keyId, CancellationToken cancellationToken)
    {
        var key = await queries.GetAsync(scope, keyId, cancellationToken);
        var row = await db.PublishableKeys.AsNoTracking().FirstOrDefaultAsync(p => p.KeyId == key.KeyId, cancellationToken)
            ?? throw NoPublishableKey(keyId);
        return await ViewAsync(row, key.Environment, key.Scopes, cancellationToken);
    }

    /// <summary>Sets the allowed origins, giving the key a publishable key first if it has none (then <c>Created</c> is true).</summary>
    public async Task<(PublishableKeyView View, bool Created)> SetOriginsAsync(
        AccountScope scope, string keyId, IReadOnlyList<string>? origins, Actor actor, CancellationToken cancellationToken)
    {
        if (origins is null)
        {
            throw new InvalidFieldException("allowedOrigins", "allowedOrigins is required: a list of origins, e.g. [\"https://app.example.com\"] (empty: no browser may use the key).");
        }

        var patterns = OriginPattern.ParseAll("allowedOrigins", origins).Select(p => p.Text).Distinct(StringComparer.Ordinal).ToList();
        if (patterns.Count > BrowserOptions.MaxAllowedOrigins)
        {
            throw new InvalidFieldException("allowedOrigins", $"A publishable key allows at most {BrowserOptions.MaxAllowedOrigins} origins.");
        }

        var key = await queries.FindChangeableAsync(scope, keyId, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var row = await db.PublishableKeys.FirstOrDefaultAsync(p => p.KeyId == key.Id, cancellationToken);
        var created = row is null;
        if (row is null)
        {
            row = new PublishableKey { KeyId = key.Id, Id = PublishableKeyFormat.Generate(key.Environment), AllowedOrigins = patterns, CreatedAt = now, UpdatedAt = now };
            db.PublishableKeys.Add(row);
            audit.Record(actor, AuditActions.PublishableKeyCreated, key.Id, key.AccountId, new { PublishableKey = row.Id, AllowedOrigins = patterns });
        }
        else
        {
            audit.Record(actor, AuditActions.PublishableKeyOriginsSet, key.Id, key.AccountId, new { From = row.AllowedOrigins, To = patterns });
            row.AllowedOrigins = patterns;
            row.UpdatedAt = now;
        }

        await SaveAsync([row.Id], cancellationToken);
        return (await ViewAsync(row, key.Environment, key.Scopes, cancellationToken), created);
    }

    /// <summary>A new publishable key for the key; the old one stops working on every instance within the change feed's bound.</summary>
    public async Task<PublishableKeyView> RegenerateAsync(AccountScope scope, string keyId, Actor actor, CancellationToken cancellationToken)
    {
        var (key, row) = await FindAsync(scope, keyId, cancellationToken);
        var old = row.Id;
        row.Id = PublishableKeyFormat.Generate(key.Environment);
        row.UpdatedAt = time.GetUtcNow().UtcDateTime;
        audit.Record(actor, AuditActions.PublishableKeyRegenerated, key.Id, key.AccountId, new { From = old, To = row.Id });
        await SaveAsync([old, row.Id], cancellationToken);
        return await ViewAsync(row, key.Environment, key.Scopes, cancellationToken);
    }

    /// <summary>Ends the key's browser mode: its publishable key and signing secret are deleted.</summary>
    public async Task RemoveAsync(AccountScope scope, string keyId, Actor actor, CancellationToken cancellationToken)
    {
        var (key, row) = await FindAsync(scope, keyId, cancellationToken);
        db.PublishableKeys.Remove(row);
        audit.Record(actor, AuditActions.PublishableKeyRemoved, key.Id, key.AccountId, new { PublishableKey = row.Id });
        await SaveAsync([row.Id], cancellationToken);
    }

    /// <summary>A new signing secret (the old one stops signing identity tokens); returned once, stored encrypted.</summary>
    public async Task<GeneratedSigningSecret> GenerateSigningSecretAsync(AccountScope scope, string keyId, Actor actor, CancellationToken cancellationToken)
    {
        var (key, row) = await FindAsync(scope, keyId, cancellationToken);
        var secret = ClientSecret.Generate();
        var now = time.GetUtcNow().UtcDateTime;
        audit.Record(actor, AuditActions.SigningSecretGenerated, key.Id, key.AccountId, new { Replaced = row.ProtectedSigningSecret is not null });
        row.ProtectedSigningSecret = signingSecrets.Protect(secret);
        row.SigningSecretHash = ClientSecret.Hash(secret);
        row.SigningSecretCreatedAt = now;
        row.UpdatedAt = now;
        await SaveAsync([row.Id], cancellationToken);
        return new GeneratedSigningSecret(await ViewAsync(row, key.Environment, key.Scopes, cancellationToken), secret);
    }

    /// <summary>
    /// The key whose signing secret this is, if it has one and is not revoked (a leak report names a secret, not a key).
    /// </summary>
    public async Task<(string KeyId, string AccountId)?> FindBySigningSecretAsync(string secret, CancellationToken cancellationToken)
    {
        var hash = ClientSecret.Hash(secret);
        var found = await db.PublishableKeys.AsNoTracking()
            .Where(p => p.SigningSecretHash == hash)
            .Join(db.ApiKeys.Where(k => k.RevokedAt == null), p => p.KeyId, k => k.Id, (p, k) => new { k.Id, k.AccountId, p.SigningSecretHash })
            .FirstOrDefaultAsync(cancellationToken);
        return found is not null && found.SigningSecretHash == hash ? (found.Id, found.AccountId) : null;
    }

    /// <summary>Deletes the key's signing secret (its identity tokens stop being accepted); the publishable key keeps working.</summary>
    public async Task WithdrawSigningSecretAsync(AccountScope scope, string keyId, Actor actor, CancellationToken cancellationToken)
    {
        var (key, row) = await FindAsync(scope, keyId, cancellationToken);
        if (row.ProtectedSigningSecret is null)
        {
            return;
        }

        audit.Record(actor, AuditActions.SigningSecretWithdrawn, key.Id, key.AccountId);
        row.ProtectedSigningSecret = null;
        row.SigningSecretHash = null;
        row.SigningSecretCreatedAt = null;
        row.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await SaveAsync([row.Id], cancellationToken);
    }

    private async Task<(ApiKey Key, PublishableKey Row)> FindAsync(AccountScope scope, string keyId, CancellationToken cancellationToken)
    {
        var key = await queries.FindChangeableAsync(scope, keyId, cancellationToken);
        var row = await db.PublishableKeys.FirstOrDefaultAsync(p => p.KeyId == key.Id, cancellationToken) ?? throw NoPublishableKey(keyId);
        return (key, row);
    }

    /// <summary>The change, its audit entry and its change-feed rows in one transaction; then this instance forgets the old entries at once.</summary>
    private async Task SaveAsync(IReadOnlyList<string> publishableKeys, CancellationToken cancellationToken)
    {
        foreach (var publishableKey in publishableKeys)
        {
            changes.Add(publishableKey);
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var publishableKey in publishableKeys)
        {
            directory.Evict(publishableKey);
        }
    }

    private async Task<PublishableKeyView> ViewAsync(PublishableKey row, KeyEnvironment environment, IReadOnlyCollection<string> keyScopes, CancellationToken cancellationToken)
    {
        var reach = await ScopeMark.Publishable.AmongAsync(db, keyScopes, cancellationToken);
        return new PublishableKeyView(row.KeyId, row.Id, environment, row.AllowedOrigins, reach.Order(StringComparer.Ordinal).ToList(),
            row.ProtectedSigningSecret is not null, row.SigningSecretCreatedAt, row.CreatedAt, row.UpdatedAt);
    }

    private static NotFoundException NoPublishableKey(string keyId) =>
        new($"Key '{keyId}' has no publishable key; set its allowed origins to give it one.");
}
