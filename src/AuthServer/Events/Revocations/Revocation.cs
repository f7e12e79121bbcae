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

    public string SignedFor(string issuer, SecurityEventTokenWriter writer) =>
        _signedByIssuer.GetOrAdd(issuer, static (issuer, state) => state.writer.Write(state.revocation, issuer), (writer, revocation: this));
}
