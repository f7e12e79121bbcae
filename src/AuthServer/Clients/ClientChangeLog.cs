using AuthServer.Data;

namespace AuthServer.Clients;

/// <summary>Records, inside the caller's transaction, that a client's credentials changed.</summary>
public sealed class ClientChangeLog(AuthDbContext db, TimeProvider time)
{
    public void Add(string clientId) =>
        db.ClientChanges.Add(new ClientChange { ClientId = clientId, ChangedAt = time.GetUtcNow().UtcDateTime });
}
