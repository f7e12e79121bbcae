namespace AuthServer.Clients;

/// <summary>
/// One row per change that can alter whether a client's credentials are accepted (revocation, new expiry,
/// new secret). Every server instance polls this table to evict its cached copy of the client.
/// </summary>
public sealed class ClientChange
{
    public long Id { get; init; }

    public required string ClientId { get; init; }

    public DateTime ChangedAt { get; init; }
}
