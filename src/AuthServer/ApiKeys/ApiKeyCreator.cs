using AuthServer.Accounts;
using AuthServer.Audit;
using AuthServer.Clients;
using AuthServer.Data;
using AuthServer.Failures;
using AuthServer.Limits;
using AuthServer.Scopes;
using AuthServer.Text;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthServer.ApiKeys;

/// <param name="Name">Optional; a readable default is used when empty.</param>
/// <param name="ExpiresAt">Optional; see <see cref="KeyExpiryPolicy"/>.</param>
/// <param name="Environment">
/// Optional; <see cref="KeyEnvironments.Default"/> (live) when not given. Left out of the idempotency fingerprint
/// when null, so that a live key's fingerprint is what it was before environments existed.
/// </param>
/// <param name="DirectUse">
/// Whether resource servers may accept the secret itself (<see cref="ApiKey.DirectUse"/>); null means yes. Like the
/// environment, left out of the fingerprint at its default, so that a retry of a request made before it existed matches.
/// </param>
/// <param name="TokensPerMinute">The key's own token limit (<see cref="KeyLimitsRule"/>); null: the server's. Likewise left out at its default.</param>
/// <param name="AllowedAddresses">CIDR blocks token requests must come from; null or empty: any. Likewise left out at its default.</param>
public sealed record CreateApiKeyRequest(
    string AccountId, string? Name, IReadOnlyCollection<string> Scopes, DateTime? ExpiresAt,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    KeyEnvironment? Environment = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    bool? DirectUse = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    int? TokensPerMinute = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<string>? AllowedAddresses = null);

/// <summary>
/// Creates a key: an OpenIddict confidential client (key ID = client_id, hashed secret) and its lifecycle
/// record, in one transaction that also enforces the account's active-key limit and, when the caller gives
/// an idempotency key, returns the key an identical earlier request created instead of a second one.
/// </summary>
public sealed class ApiKeyCreator(
    AuthDbContext db,
    IOpenIddictApplicationManager applications,
    ScopeService scopes,
    ActiveKeyLimit limit,
    KeyExpiryPolicy expiryPolicy,
    ApiKeyQueries queries,
    AuditLog audit,
    ClientChangeLog changes,
    ClientDirectory directory,
    TimeProvider time)
{
    /// <summary>How long a retry with the same idempotency key returns the first result.</summary>
    public static readonly TimeSpan IdempotencyWindow = TimeSpan.FromHours(24);

    public async Task<CreatedApiKey> CreateAsync(CreateApiKeyRequest request, Actor actor, CancellationToken cancellationToken, string? idempotencyKey = null)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var name = ApiKeyNames.Normalize(request.Name) ?? $"Key created {now:yyyy-MM-dd HH:mm} UTC";
        var environment = request.Environment ?? KeyEnvironments.Default;
        var grantedScopes = await ValidateScopesAsync(request.Scopes, environment, cancellationToken);
        var expiresAt = expiryPolicy.ForNewKey(request.ExpiresAt, now);
        var limits = KeyLimitsRule.Validate(request.TokensPerMinute, request.AllowedAddresses);
        var allowedAddresses = KeyLimitsService.Stored(limits.AllowedAddresses);
        var idempotency = idempotencyKey is null ? null
            : new IdempotencyCheck(idempotencyKey, request with { Name = request.Name?.Trim(), Scopes = grantedScopes, Environment = environment == KeyEnvironment.Live ? null : environment, DirectUse = request.DirectUse == false ? false : null,
                TokensPerMinute = limits.TokensPerMinute, AllowedAddresses = allowedAddresses });

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await limit.LockAccountAsync(request.AccountId, cancellationToken);
        if (idempotency is not null && await FindEarlierAsync(request.AccountId, idempotency, now, cancellationToken) is { } earlier)
        {
            return new CreatedApiKey(await queries.GetAsync(AccountScope.Only(request.AccountId), earlier, cancellationToken), Secret: null);
        }

        await limit.EnsureRoomForOneMoreAsync(request.AccountId, environment, now, cancellationToken);

        var secret = Secrets.ClientSecret.Generate(environment.Name());
        var key = new ApiKey
        {
            Id = ApiKeyId.New(),
            AccountId = request.AccountId,
            Name = name,
            Environment = environment,
            Scopes = grantedScopes,
            SecretHint = Secrets.ClientSecret.Hint(secret),
            SecretHash = Secrets.ClientSecret.Hash(secret),
            DirectUse = request.DirectUse ?? true,
            CreatedAt = now,
            CreatedBy = actor.Id,
            ExpiresAt = expiresAt,
            TokensPerMinute = limits.TokensPerMinute,
            AllowedAddresses = allowedAddresses,
        };

        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = key.Id,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = name,
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
        };
        descriptor.Permissions.UnionWith(grantedScopes.Select(scope => Permissions.Prefixes.Scope + scope));

        db.ApiKeys.Add(key);
        if (idempotency is not null)
        {
            db.IdempotentKeyCreations.Add(new IdempotentKeyCreation
            {
                AccountId = request.AccountId,
                IdempotencyKey = idempotency.Key,
                RequestHash = idempotency.RequestHash,
                KeyId = key.Id,
                CreatedAt = now,
            });
        }

        audit.Record(actor, AuditActions.KeyCreated, key.Id, key.AccountId, new { key.Name, Environment = key.Environment.Name(), key.Scopes, key.ExpiresAt, key.DirectUse, key.TokensPerMinute, key.AllowedAddresses });
        changes.Add(key.Id); // other instances may remember this ID as unknown
        await db.SaveChangesAsync(cancellationToken);
        await applications.CreateAsync(descriptor, cancellationToken); // the credentials row, in the same transaction
        await db.Accounts.Where(a => a.Id == key.AccountId)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.KeysCreated, a => a.KeysCreated + 1), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        directory.Evict(key.Id);

        return new CreatedApiKey(ApiKeyView.From(key, now), secret);
    }

    private async Task<string?> FindEarlierAsync(string accountId, IdempotencyCheck check, DateTime now, CancellationToken cancellationToken)
    {
        var earlier = await db.IdempotentKeyCreations
            .FirstOrDefaultAsync(r => r.AccountId == accountId && r.IdempotencyKey == check.Key, cancellationToken);
        if (earlier is null)
        {
            return null;
        }

        if (earlier.CreatedAt < now - IdempotencyWindow)
        {
            db.IdempotentKeyCreations.Remove(earlier);
            return null;
        }

        return earlier.RequestHash == check.RequestHash
            ? earlier.KeyId
            : throw new IdempotencyKeyReusedException(check.Key);
    }

    private async Task<List<string>> ValidateScopesAsync(IReadOnlyCollection<string> requested, KeyEnvironment environment, CancellationToken cancellationToken)
    {
        // Taken exactly as given (never trimmed or case-folded), so that what callers' permissions were checked
        // against is what the key gets.
        foreach (var scope in requested)
        {
            TextRule.Require("scopes", scope);
        }

        if (requested.FirstOrDefault(scope => !ScopeService.IsValidName(scope)) is { } invalid)
        {
            throw new InvalidFieldException("scopes", $"'{invalid}' is not a scope name (letters, digits, ':' '.' '_' '-', no spaces).");
        }

        var distinct = requested.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (distinct.Count == 0)
        {
            throw new InvalidFieldException("scopes", "A key needs at least one scope.");
        }

        var undefined = await scopes.FindUndefinedAsync(distinct, cancellationToken);
        if (undefined.Count > 0)
        {
            throw new InvalidFieldException("scopes", $"Unknown scope(s): {string.Join(", ", undefined)}.");
        }

        if (environment != KeyEnvironment.Live)
        {
            var liveOnly = await ScopeMark.LiveOnly.AmongAsync(db, distinct, cancellationToken);
            if (KeyEnvironments.FirstScopeClosedTo(environment, distinct, liveOnly.Contains) is { } closed)
            {
                throw new InvalidFieldException("scopes", KeyEnvironments.ClosedScopeMessage(closed));
            }
        }

        return distinct;
    }
}

internal static class ApiKeyNames
{
    /// <summary>The trimmed name, null when empty; throws when too long or breaking the <see cref="TextRule"/>.</summary>
    public static string? Normalize(string? name)
    {
        TextRule.Require("name", name);
        name = name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        if (name.Length > ApiKey.MaxNameLength)
        {
            throw new InvalidFieldException("name", $"A key name is at most {ApiKey.MaxNameLength} characters.");
        }

        return name;
    }
}
