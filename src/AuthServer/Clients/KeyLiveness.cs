using AuthServer.Data;

namespace AuthServer.Clients;

public enum Liveness
{
    /// <summary>An API key that exists and is neither revoked nor expired.</summary>
    Live,

    /// <summary>Revoked, expired, unknown, or not an API key at all.</summary>
    NotLive,

    /// <summary>The database could not be read in time: answer 503, never "live" and never "not live".</summary>
    Unknown,
}

/// <summary>
/// The one answer to "may a token of this key still be honoured?", for introspection (both paths) and the admin
/// API: from the in-memory directory, so revocation on any instance counts within its staleness bound.
/// </summary>
public sealed class KeyLiveness(ClientDirectory directory, TimeProvider time)
{
    public async ValueTask<Liveness> CheckAsync(string? keyId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(keyId))
        {
            return Liveness.NotLive;
        }

        ClientSnapshot? key;
        try
        {
            key = await directory.FindAsync(keyId, cancellationToken);
        }
        catch (DatabaseUnavailableException)
        {
            return Liveness.Unknown;
        }

        return key is { Kind: ClientKind.ApiKey } && key.IsActiveAt(time.GetUtcNow().UtcDateTime) ? Liveness.Live : Liveness.NotLive;
    }
}
