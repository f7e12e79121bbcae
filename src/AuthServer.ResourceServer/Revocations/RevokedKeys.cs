using System.Collections.Concurrent;

namespace AuthServer.ResourceServer.Revocations;

/// <summary>
/// The keys the AuthServer said were revoked, each until its revocation is older than the longest a token lives
/// (the stream's <c>retention_seconds</c>): by then every token it could refuse has expired, so memory stays bounded
/// by the revocations of that window.
/// </summary>
internal sealed class RevokedKeys(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _revokedAt = new(StringComparer.Ordinal);
    private TimeSpan _retention = TimeSpan.FromHours(1);

    public int Count => _revokedAt.Count;

    public TimeSpan Retention
    {
        get => _retention;
        set => _retention = value > TimeSpan.Zero ? value : _retention;
    }

    public void Add(string keyId, DateTimeOffset revokedAt)
    {
        _revokedAt.AddOrUpdate(keyId, revokedAt, (_, known) => known < revokedAt ? known : revokedAt);
        Forget();
    }

    /// <summary>
    /// True for every token of a revoked key: revocation is final and key IDs are never reused, and a token issued just
    /// after the revocation (by an instance within its 1 s of staleness, or with another clock) must not pass either.
    /// </summary>
    public bool Refuses(string keyId) => _revokedAt.ContainsKey(keyId);

    private void Forget()
    {
        var before = time.GetUtcNow() - _retention;
        foreach (var (keyId, revokedAt) in _revokedAt)
        {
            if (revokedAt < before)
            {
                _revokedAt.TryRemove(new KeyValuePair<string, DateTimeOffset>(keyId, revokedAt));
            }
        }
    }
}
