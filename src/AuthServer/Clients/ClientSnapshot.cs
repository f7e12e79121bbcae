using System.Collections.Frozen;

namespace AuthServer.Clients;

public enum ClientKind
{
    /// <summary>An API key: may use the token endpoint.</summary>
    ApiKey,

    /// <summary>A resource server's own credentials: may use the introspection endpoint.</summary>
    ResourceServer,
}

/// <summary>
/// What the OAuth endpoints need to know about a client, read once from the database and then served
/// from memory by <see cref="ClientDirectory"/>.
/// </summary>
public sealed record ClientSnapshot(
    string ClientId,
    ClientKind Kind,
    string? SecretHash,
    string? AccountId,
    FrozenSet<string> Scopes,
    DateTime? ExpiresAt,
    DateTime? RevokedAt)
{
    public bool IsRevoked => RevokedAt is not null;

    public bool IsExpiredAt(DateTime now) => ExpiresAt <= now;

    public bool IsActiveAt(DateTime now) => !IsRevoked && !IsExpiredAt(now);
}
