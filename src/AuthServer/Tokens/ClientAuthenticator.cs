using AuthServer.Clients;
using AuthServer.Data;
using AuthServer.Throttling;

namespace AuthServer.Tokens;

public enum AuthenticationOutcome
{
    Authenticated,
    Throttled,
    Malformed,
    UnknownClient,
    WrongSecret,
    Revoked,
    WrongKind,
    Expired,
    DatabaseUnavailable,
}

public readonly record struct ClientAuthentication(AuthenticationOutcome Outcome, ClientSnapshot? Client, TimeSpan RetryAfter = default)
{
    public bool Succeeded => Outcome == AuthenticationOutcome.Authenticated;
}

/// <summary>
/// Decides whether a client ID and secret authenticate a client of the required kind. The checks are ordered
/// so that the cheap ones come first: the brute-force throttle, then the secret's format and checksum (no I/O),
/// then the client from the in-memory directory, one SHA-256 compared in constant time, then status and expiry.
/// An unknown client costs the same hash as a known one. Records nothing: the caller reports failures.
/// </summary>
public sealed class ClientAuthenticator(ClientDirectory directory, FailedAuthenticationThrottle throttle, TimeProvider time)
{
    private const int MaxClientIdLength = 100;

    // Compared against when the client is unknown, so that an unknown client ID costs the same hash as a known one.
    private static readonly string UnknownClientHash = ClientSecret.Hash(ClientSecret.Generate());

    public async ValueTask<ClientAuthentication> AuthenticateAsync(
        string clientId, string? secret, string address, ClientKind requiredKind, CancellationToken cancellationToken)
    {
        if (!throttle.MayAttempt(clientId, address, out var retryAfter))
        {
            return new(AuthenticationOutcome.Throttled, null, retryAfter);
        }

        if (clientId.Length > MaxClientIdLength || string.IsNullOrEmpty(secret) || !ClientSecret.IsWellFormed(secret))
        {
            return new(AuthenticationOutcome.Malformed, null);
        }

        ClientSnapshot? client;
        try
        {
            client = await directory.FindAsync(clientId, cancellationToken);
        }
        catch (DatabaseUnavailableException)
        {
            return new(AuthenticationOutcome.DatabaseUnavailable, null);
        }

        var secretMatches = ClientSecret.Matches(secret, client?.SecretHash ?? UnknownClientHash);
        return client switch
        {
            null => new(AuthenticationOutcome.UnknownClient, null),
            _ when !secretMatches => new(AuthenticationOutcome.WrongSecret, client),
            { IsRevoked: true } => new(AuthenticationOutcome.Revoked, client),
            _ when client.Kind != requiredKind => new(AuthenticationOutcome.WrongKind, client),
            _ when client.IsExpiredAt(time.GetUtcNow().UtcDateTime) => new(AuthenticationOutcome.Expired, client),
            _ => new(AuthenticationOutcome.Authenticated, client),
        };
    }
}
