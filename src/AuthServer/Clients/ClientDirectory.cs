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

    // Secret hash → key ID, for secrets presented directly to resource servers. An entry only says which key to look
    // at: the key itself comes from _clients (evicted by the change feed) and must still hold that hash, so a
    // revoked key (its hash erased) is refused however old the entry is.
    private readonly ConcurrentDictionary<string, CachedKeyId> _keyIdsBySecretHash = new(StringComparer.Ordinal);
    // API key ID → its publishable key, for the publishable keys in _clients: a change to the API key (revocation,
    // expiry, scopes) evicts its publishable key too, so the change feed names only the API key.
    private readonly ConcurrentDictionary<string, string> _publishableKeyOf = new(StringComparer.Ordinal);
    private long _evictions;
    private long _hits;
    private long _misses;

    /// <summary>How many <see cref="FindAsync"/> calls were served from memory and how many read the database, since start.</summary>
    public (long Hits, long Misses) Lookups => (Interlocked.Read(ref _hits), Interlocked.Read(ref _misses));

    /// <exception cref="DatabaseUnavailableException">The database could not be read within <see cref="ClientOptions.LoadTimeout"/>.</exception>
    public async ValueTask<ClientSnapshot?> FindAsync(string clientId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (feedHealth.IsCurrentAt(now) &&
            _clients.TryGetValue(clientId, out var cached) &&
            now - cached.LoadedAt < options.Value.MaxCacheAge)
        {
            Interlocked.Increment(ref _hits);
            return cached.Client;
        }

        Interlocked.Increment(ref _misses);
        // An eviction that lands while we read must win over what we read, or a revocation could be undone.
        var evictionsBefore = Interlocked.Read(ref _evictions);
        var client = await LoadAsync(clientId, cancellationToken);
        if (client is null && _clients.Count >= MaxEntries)
        {
            return client;
        }

        var entry = new CachedClient(client, now);
        if (client?.Publishable is { } publishable)
        {
            _publishableKeyOf[publishable.KeyId] = clientId;
        }

        _clients[clientId] = entry;
        if (Interlocked.Read(ref _evictions) != evictionsBefore)
        {
            _clients.TryRemove(new KeyValuePair<string, CachedClient>(clientId, entry)); // an eviction came in meanwhile
        }

        return client;
    }

    /// <summary>
    /// The API key whose secret this is, or null (unknown, revoked, or not an API key's secret). The secret's SHA-256
    /// leads to the key: one database read the first time a secret is seen, none afterwards.
    /// </summary>
    /// <exception cref="DatabaseUnavailableException">The database could not be read within <see cref="ClientOptions.LoadTimeout"/>.</exception>
    public async ValueTask<SecretLookup?> FindBySecretAsync(string secret, CancellationToken cancellationToken)
    {
        var hash = Secrets.ClientSecret.Hash(secret);
        var now = time.GetUtcNow();
        string? keyId;
        if (feedHealth.IsCurrentAt(now) &&
            _keyIdsBySecretHash.TryGetValue(hash, out var cached) &&
            now - cached.LoadedAt < options.Value.MaxCacheAge)
        {
            keyId = cached.KeyId;
        }
        else
        {
            keyId = await DatabaseFailure.WithinAsync(options.Value.LoadTimeout, token => loader.FindKeyIdBySecretHashAsync(hash, token), cancellationToken);
            if (keyId is not null || _keyIdsBySecretHash.Count < MaxEntries)
            {
                _keyIdsBySecretHash[hash] = new CachedKeyId(keyId, now);
            }
        }

        if (keyId is null)
        {
            return null;
        }

        var key = await FindAsync(keyId, cancellationToken);
        var match = key is { Kind: ClientKind.ApiKey } ? key.MatchSecret(secret, time.GetUtcNow().UtcDateTime) : ApiKeys.SecretMatch.None;
        return match == ApiKeys.SecretMatch.None ? null : new SecretLookup(key!, match);
    }

    private async Task<ClientSnapshot?> LoadAsync(string clientId, CancellationToken cancellationToken)
    {
        return await DatabaseFailure.WithinAsync(options.Value.LoadTimeout, token => loader.LoadAsync(clientId, token), cancellationToken);
    }

    public void Evict(string clientId)
    {
        Interlocked.Increment(ref _evictions);
        _clients.TryRemove(clientId, out _);
        if (_publishableKeyOf.TryRemove(clientId, out var publishableKey))
        {
            _clients.TryRemove(publishableKey, out _);
        }
    }

    public void EvictAll()
    {
        Interlocked.Increment(ref _evictions);
        _clients.Clear();
        _keyIdsBySecretHash.Clear();
        _publishableKeyOf.Clear();
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

        foreach (var (keyId, publishableKey) in _publishableKeyOf)
        {
            if (!_clients.ContainsKey(publishableKey))
            {
                _publishableKeyOf.TryRemove(new KeyValuePair<string, string>(keyId, publishableKey));
            }
        }

        foreach (var (hash, cached) in _keyIdsBySecretHash)
        {
            if (cached.LoadedAt < oldest)
            {
                _keyIdsBySecretHash.TryRemove(new KeyValuePair<string, CachedKeyId>(hash, cached));
            }
        }
    }

    /// <param name="Client">Null: no client has this ID.</param>
    private sealed record CachedClient(ClientSnapshot? Client, DateTimeOffset LoadedAt);

    /// <param name="KeyId">Null: no live key has a secret with this hash.</param>
    private sealed record CachedKeyId(string? KeyId, DateTimeOffset LoadedAt);
}

/// <summary>The key a secret presented directly belongs to, and which of its secrets it is.</summary>
public sealed record SecretLookup(ClientSnapshot Key, ApiKeys.SecretMatch Match);
