using AuthServer.ApiKeys;
using AuthServer.Clients;
using AuthServer.Scopes;
using Microsoft.Extensions.Options;

namespace AuthServer.Tokens;

/// <summary>
/// What an access token for a key says: subject and client = key ID (for a publishable key: client = the publishable
/// key, <c>azp</c> = the key, and with an end user, subject = the end user and <c>act</c> = the key), the account, the key's environment, the granted scopes (those
/// asked for, or all of the key's), their resource servers as audiences, and a lifetime that never runs past
/// the key's expiry. Both token issuers (<see cref="IssueAccessToken"/> and the fast path) use it.
/// </summary>
public sealed record AccessTokenPlan(
    string KeyId, string? AccountId, string Environment, IReadOnlyList<string> Scopes, IReadOnlyCollection<string> Audiences, DateTimeOffset IssuedAt, TimeSpan Lifetime,
    string? ClientId = null, Browser.EndUser? EndUser = null, SecretMatch Secret = SecretMatch.Current)
{
    /// <summary>The token's <c>client_id</c>: the key, or the publishable key the token was got with.</summary>
    public string Client => ClientId ?? KeyId;

    /// <summary>The token's <c>sub</c>: the end user, when there is one, else the key.</summary>
    public string Subject => EndUser?.Id ?? KeyId;

    public DateTimeOffset ExpiresAt => IssuedAt + Lifetime;
}

public sealed class AccessTokenPlanner(ScopeCatalog catalog, TimeProvider time, IOptions<TokenOptions> options, IOptions<Browser.BrowserOptions> browser)
{
    /// <param name="endUser">For a publishable key's token exchange: the end user its identity token named.</param>
    /// <exception cref="Data.DatabaseUnavailableException">A scope's resource servers could not be read.</exception>
    public async ValueTask<AccessTokenPlan> PlanAsync(
        ClientSnapshot key, IReadOnlyList<string> requestedScopes, CancellationToken cancellationToken, Browser.EndUser? endUser = null,
        SecretMatch secret = SecretMatch.Current)
    {
        IReadOnlyList<string> scopes = requestedScopes.Count == 0 ? [.. key.Scopes.Order(StringComparer.Ordinal)] : requestedScopes;
        var audiences = await catalog.ResourcesOfAsync(scopes, cancellationToken);

        var now = time.GetUtcNow();
        var lifetime = key.Publishable is null ? options.Value.AccessTokenLifetime : browser.Value.AccessTokenLifetime;
        if (key.ExpiresAt is { } expiresAt && expiresAt - now.UtcDateTime < lifetime)
        {
            lifetime = expiresAt - now.UtcDateTime;
        }

        return new AccessTokenPlan(key.KeyId, key.AccountId, key.Environment.Name(), scopes, audiences, now, lifetime, key.ClientId, endUser, secret);
    }
}
