using System.Collections.Concurrent;
using AuthServer.Data;
using Microsoft.Extensions.Options;

namespace AuthServer.Clients;

/// <summary>
/// The hot-path answer to "who is this client_id and is it still good?". Clients are read from the database
/// once and then served from memory; creations, revocations and expiry changes evict them through the change
/// feed, so an instance never trusts its copy longer than <see cref="ClientOptions.MaxStaleness"/> past a
/// change. Unknown client IDs are remembered too (until a client with that ID is created), so that probing
/// for IDs neither reaches the database nor answers at a different speed than a wrong secret does.
/// </summary>
public sealed class ClientDirectory(
    ClientSnapshotLoader loader,
    ClientChangeFeedHealth feedHealth,
    TimeProvider time,
    IOptions<ClientOptions> options)
{
    // Beyond this many entries, unknown IDs are no longer remembered (a flood of made-up IDs cannot exhaust memory).
    private const int MaxEntries = 1_000_000;

    private readonly ConcurrentDictionary<string, CachedClient> _clients = new(StringComparer.Ordinal);
    private long _evictions;

    /// <exception cref="DatabaseUnavailableException">The database could not be read within <see cref="ClientOptions.LoadTimeout"/>.</exception>
    public async ValueTask<ClientSnapshot?> FindAsync(string clientId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (feedHealth.IsCurrentAt(now) &&
            _clients.TryGetValue(clientId, out var cached) &&
            now - cached.LoadedAt < options.Value.MaxCacheAge)
        {
            return cached.Client;
        }

        // An eviction that lands while we read must win over what we read, or a revocation could be undone.
        var evictionsBefore = Interlocked.Read(ref _evictions);
        var client = await LoadAsync(clientId, cancellationToken);
        if (client is null && _clients.Count >= MaxEntries)
        {
            return client;
        }

        var entry = new CachedClient(client, now);
        _clients[clientId] = entry;
        if (Interlocked.Read(ref _evictions) != evictionsBefore)
        {
            _clients.TryRemove(new KeyValuePair<string, CachedClient>(clientId, entry)); // an eviction came in meanwhile
        }

        return client;
    }

    private async Task<ClientSnapshot?> LoadAsync(string clientId, CancellationToken cancellationToken)
    {
        return await DatabaseFailure.WithinAsync(options.Value.LoadTimeout, token => loader.LoadAsync(clientId, token), cancellationToken);
    }

    public void Evict(string clientId)
    {
        Interlocked.Increment(ref _evictions);
        _clients.TryRemove(clientId, out _);
    }

    public void EvictAll()
    {
        Interlocked.Increment(ref _evictions);
        _clients.Clear();
    }

    /// <summary>Drops entries past their maximum age, so memory follows the clients in recent use.</summary>
    public void RemoveOldEntries()
    {
        var oldest = time.GetUtcNow() - options.Value.MaxCacheAge;
        foreach (var (clientId, cached) in _clients)
        {
            if (cached.LoadedAt < oldest)
            {
                _clients.TryRemove(new KeyValuePair<string, CachedClient>(clientId, cached));
            }
        }
    }

    /// <param name="Client">Null: no client has this ID.</param>
    private sealed record CachedClient(ClientSnapshot? Client, DateTimeOffset LoadedAt);
}
