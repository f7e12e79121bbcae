using System.Collections.Frozen;
using AuthServer.ApiKeys;

namespace AuthServer.Clients;

public enum ClientKind
{
    /// <summary>An API key: may use the token endpoint.</summary>
    ApiKey,

    /// <summary>A resource server's own credentials: may use the introspection endpoint.</summary>
    ResourceServer,

    /// <summary>An API key's publishable key (<see cref="Browser.PublishableKey"/>): may get tokens from browsers, no secret.</summary>
    PublishableKey,
}

/// <summary>
/// What the OAuth endpoints need to know about a client, read once from the database and then served
/// from memory by <see cref="ClientDirectory"/>. <paramref name="DirectUse"/>: an API key whose secret resource
/// servers may accept directly (<see cref="ApiKey.DirectUse"/>); never a resource server's credentials.
/// </summary>
/// <param name="Publishable">For a publishable key: its API key, origins and signing secret; its <see cref="Scopes"/> are the
/// API key's scopes that are marked publishable, its status the API key's.</param>
/// <param name="Environment">A key's environment; live for resource-server credentials.</param>
/// <param name="LiveOnlyScopes">
/// Those of <see cref="Scopes"/> an operator marked live-only, read for test keys only (empty for live keys):
/// marking a scope puts every test key holding it on the change feed.
/// </param>
/// <param name="TokensPerMinute">An API key's own token limit (<see cref="ApiKey.TokensPerMinute"/>); null: the server's.</param>
/// <param name="AllowedAddresses">An API key's allow-list (<see cref="Limits.AllowedAddressRule"/>); null: any address.</param>
public sealed record ClientSnapshot(
    string ClientId,
    ClientKind Kind,
    string? SecretHash,
    string? AccountId,
    FrozenSet<string> Scopes,
    DateTime? ExpiresAt,
    DateTime? RevokedAt,
    KeyEnvironment Environment,
    FrozenSet<string> LiveOnlyScopes,
    bool DirectUse = false,
    PublishableAccess? Publishable = null,
    PreviousSecret? Previous = null,
    int? TokensPerMinute = null,
    Limits.AddressAllowList? AllowedAddresses = null)
{
    /// <summary>Which of this client's secrets <paramref name="secret"/> is, if it is accepted now (<see cref="KeySecretRule"/>).</summary>
    public SecretMatch MatchSecret(string secret, DateTime now) =>
        KeySecretRule.Match(secret, SecretHash, Previous?.Hash, Previous?.EndsAt, now);

    /// <summary>The API key whose tokens these are: the key itself, or the one a publishable key acts for.</summary>
    public string KeyId => Publishable?.KeyId ?? ClientId;

    public bool IsActiveAt(DateTime now) => StatusAt(now) == ApiKeyStatus.Active;

    /// <summary>Resource-server credentials are never revoked or expired this way: they are replaced.</summary>
    public ApiKeyStatus StatusAt(DateTime now) => ApiKeyStatusRule.StatusOf(RevokedAt, ExpiresAt, now);
}

/// <summary>What only a publishable key has.</summary>
/// <param name="SigningKey">The API key's signing secret (for identity tokens), decrypted; null when it has none.</param>
public sealed record PublishableAccess(string KeyId, Browser.OriginAllowList Origins, byte[]? SigningKey);

/// <summary>A key's secret replaced by a roll, with the end of its grace; kept in the snapshot so the rule compares with the clock.</summary>
public sealed record PreviousSecret(string Hash, DateTime EndsAt);
