using AuthServer.Data;
using AuthServer.Failures;
using AuthServer.Scopes;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthServer.ApiKeys;

/// <param name="Name">Optional; a readable default is used when empty.</param>
/// <param name="ExpiresAt">Optional; see <see cref="KeyExpiryPolicy"/>.</param>
public sealed record CreateApiKeyRequest(string AccountId, string? Name, IReadOnlyCollection<string> Scopes, DateTime? ExpiresAt);

/// <summary>
/// Creates a key: an OpenIddict confidential client (key ID = client_id, hashed secret) and its lifecycle
/// record, in one transaction that also enforces the account's active-key limit.
/// </summary>
public sealed class ApiKeyCreator(
    AuthDbContext db,
    IOpenIddictApplicationManager applications,
    ScopeService scopes,
    ActiveKeyLimit limit,
    KeyExpiryPolicy expiryPolicy,
    TimeProvider time)
{
    public async Task<CreatedApiKey> CreateAsync(CreateApiKeyRequest request, string actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var name = ApiKeyNames.Normalize(request.Name) ?? $"Key created {now:yyyy-MM-dd HH:mm} UTC";
        var grantedScopes = await ValidateScopesAsync(request.Scopes, cancellationToken);
        var expiresAt = expiryPolicy.ForNewKey(request.ExpiresAt, now);

        var keyId = ApiKeyId.New();
        var secret = Clients.ClientSecret.Generate();
        var key = new ApiKey
        {
            Id = keyId,
            AccountId = request.AccountId,
            Name = name,
            Scopes = grantedScopes,
            SecretHint = Clients.ClientSecret.Hint(secret),
            CreatedAt = now,
            CreatedBy = actor,
            ExpiresAt = expiresAt,
        };

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await limit.EnsureRoomForOneMoreAsync(request.AccountId, now, newKey: true, cancellationToken);

        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = keyId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = name,
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
        };
        descriptor.Permissions.UnionWith(grantedScopes.Select(scope => Permissions.Prefixes.Scope + scope));
        await applications.CreateAsync(descriptor, cancellationToken);

        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        return new CreatedApiKey(ApiKeyView.From(key, now), secret);
    }

    private async Task<List<string>> ValidateScopesAsync(IReadOnlyCollection<string> requested, CancellationToken cancellationToken)
    {
        var distinct = requested.Select(s => s.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (distinct.Count == 0)
        {
            throw new InvalidFieldException("scopes", "A key needs at least one scope.");
        }

        var undefined = await scopes.FindUndefinedAsync(distinct, cancellationToken);
        if (undefined.Count > 0)
        {
            throw new InvalidFieldException("scopes", $"Unknown scope(s): {string.Join(", ", undefined)}.");
        }

        return distinct;
    }
}

internal static class ApiKeyNames
{
    /// <summary>The trimmed name, null when empty; throws when too long or containing control characters.</summary>
    public static string? Normalize(string? name)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        if (name.Length > ApiKey.MaxNameLength)
        {
            throw new InvalidFieldException("name", $"A key name is at most {ApiKey.MaxNameLength} characters.");
        }

        if (name.Any(char.IsControl))
        {
            throw new InvalidFieldException("name", "A key name cannot contain control characters.");
        }

        return name;
    }
}
