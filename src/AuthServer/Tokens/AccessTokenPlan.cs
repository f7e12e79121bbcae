using AuthServer.ApiKeys;
using AuthServer.Clients;
using AuthServer.Scopes;
using Microsoft.Extensions.Options;

namespace AuthServer.Tokens;

/// <summary>
/// What an access token for a key says: subject and client = key ID, the account, the key's environment, the granted scopes (those
/// asked for, or all of the key's), their resource servers as audiences, and a lifetime that never runs past
/// the key's expiry. Both token issuers (<see cref="IssueAccessToken"/> and the fast path) use it.
/// </summary>
public sealed record AccessTokenPlan(
    string KeyId, string? AccountId, string Environment, IReadOnlyList<string> Scopes, IReadOnlyCollection<string> Audiences, DateTimeOffset IssuedAt, TimeSpan Lifetime)
{
    public DateTimeOffset ExpiresAt => IssuedAt + Lifetime;
}

public sealed class AccessTokenPlanner(ScopeCatalog catalog, TimeProvider time, IOptions<TokenOptions> options)
{
    /// <exception cref="Data.DatabaseUnavailableException">A scope's resource servers could not be read.</exception>
    public async ValueTask<AccessTokenPlan> PlanAsync(ClientSnapshot key, IReadOnlyList<string> requestedScopes, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> scopes = requestedScopes.Count == 0 ? [.. key.Scopes.Order(StringComparer.Ordinal)] : requestedScopes;
        var audiences = await catalog.ResourcesOfAsync(scopes, cancellationToken);

        var now = time.GetUtcNow();
        var lifetime = options.Value.AccessTokenLifetime;
        if (key.ExpiresAt is { } expiresAt && expiresAt - now.UtcDateTime < lifetime)
        {
            lifetime = expiresAt - now.UtcDateTime;
        }

        return new AccessTokenPlan(key.ClientId, key.AccountId, key.Environment.Name(), scopes, audiences, now, lifetime);
    }
}
