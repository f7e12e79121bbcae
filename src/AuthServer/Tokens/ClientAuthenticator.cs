using System.Net;
using AuthServer.ApiKeys;
using AuthServer.Clients;
using AuthServer.Data;
using AuthServer.Limits;
using AuthServer.Secrets;
using AuthServer.Text;
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

    /// <summary>The key has an allow-list and the request came from elsewhere; answered like a wrong secret.</summary>
    AddressNotAllowed,
    Expired,
    DatabaseUnavailable,
}

/// <param name="Secret">Which of the client's secrets was presented (a key's previous one during a roll's grace).</param>
public readonly record struct ClientAuthentication(
    string ClientId, AuthenticationOutcome Outcome, ClientSnapshot? Client, TimeSpan RetryAfter = default, SecretMatch Secret = SecretMatch.None)
{
    public bool Succeeded => Outcome == AuthenticationOutcome.Authenticated;
}

/// <summary>
/// Decides whether a client ID and secret authenticate a client of the required kind. The checks are ordered
/// so that the cheap ones come first: the brute-force throttle, then the secret's format and checksum (no I/O),
/// then the client from the in-memory directory, one SHA-256 compared in constant time, then status, the allow-list and expiry.
/// An unknown client costs the same hash as a known one. The outcome is for logs: callers answer unknown,
/// malformed, wrong secret and revoked alike. Records nothing: the caller reports failures.
/// </summary>
public sealed class ClientAuthenticator(ClientDirectory directory, FailedAuthenticationThrottle throttle, TimeProvider time)
{
    private const int MaxClientIdLength = 100;

    // Compared against when the client is unknown, so that an unknown client ID costs the same hash as a known one.
    private static readonly ClientSnapshot UnknownClient = new(
        "", ClientKind.ApiKey, ClientSecret.Hash(ClientSecret.Generate()), null, System.Collections.Frozen.FrozenSet<string>.Empty, null, null,
        KeyEnvironment.Live, System.Collections.Frozen.FrozenSet<string>.Empty);

    public async ValueTask<ClientAuthentication> AuthenticateAsync(
        string clientId, string? secret, IPAddress? remote, ClientKind requiredKind, CancellationToken cancellationToken)
    {
        var address = remote?.ToString() ?? "unknown";
        if (!throttle.MayAttempt(clientId, address, out var retryAfter))
        {
            return new(clientId, AuthenticationOutcome.Throttled, null, retryAfter);
        }

        // Text no identifier may hold is malformed before any lookup (PostgreSQL cannot even store a NUL).
        if (clientId.Length > MaxClientIdLength || !TextRule.IsAllowed(clientId) || string.IsNullOrEmpty(secret) || !ClientSecret.IsWellFormed(secret))
        {
            return new(clientId, AuthenticationOutcome.Malformed, null);
        }

        ClientSnapshot? client;
        try
        {
            client = await directory.FindAsync(clientId, cancellationToken);
        }
        catch (DatabaseUnavailableException)
        {
            return new(clientId, AuthenticationOutcome.DatabaseUnavailable, null);
        }

        // Always the same hashes, so that no outcome answers at a different speed (a revoked key has no hash left).
        var now = time.GetUtcNow().UtcDateTime;
        var match = (client ?? UnknownClient).MatchSecret(secret, now);
        var secretMatches = match != SecretMatch.None;
        var status = client?.StatusAt(now);
        var outcome = client switch
        {
            null => AuthenticationOutcome.UnknownClient,
            _ when status == ApiKeyStatus.Revoked => AuthenticationOutcome.Revoked,
            _ when !secretMatches => AuthenticationOutcome.WrongSecret,
            _ when !AllowedAddressRule.Admits(client, remote) => AuthenticationOutcome.AddressNotAllowed,
            _ when client.Kind != requiredKind => AuthenticationOutcome.WrongKind,
            _ when status == ApiKeyStatus.Expired => AuthenticationOutcome.Expired,
            _ => AuthenticationOutcome.Authenticated,
        };
        return new(clientId, outcome, outcome == AuthenticationOutcome.UnknownClient ? null : client, Secret: match);
    }
}
