using System.Collections.Concurrent;

namespace AuthServer.Events.Revocations;

/// <summary>A key's revocation as the stream sends it; its Security Event Token is signed once per issuer.</summary>
public sealed class Revocation(long id, string eventId, string keyId, DateTime revokedAt)
{
    private readonly ConcurrentDictionary<string, string> _signedByIssuer = new(StringComparer.Ordinal);

    public long Id { get; } = id;

    public string EventId { get; } = eventId;

    public string KeyId { get; } = keyId;

    public DateTime RevokedAt { get; } = revokedAt;

    // Without Tokens:Issuer the issuer comes from each request's Host header: cache a few, sign the rest each time.
    private const int MaxCachedIssuers = 4;

    public string SignedFor(string issuer, SecurityEventTokenWriter writer)
    {
        if (_signedByIssuer.TryGetValue(issuer, out var signed))
        {
            return signed;
        }

        signed = writer.Write(this, issuer);
        if (_signedByIssuer.Count < MaxCachedIssuers)
        {
            _signedByIssuer.TryAdd(issuer, signed);
        }

        return signed;
    }
}
