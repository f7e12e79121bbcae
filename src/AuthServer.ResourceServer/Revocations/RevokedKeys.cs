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

    /// <summary>True when the key was revoked after this token was issued (a token issued later cannot exist: revocation is final).</summary>
    public bool Refuses(string keyId, DateTimeOffset issuedAt) =>
        _revokedAt.TryGetValue(keyId, out var revokedAt) && issuedAt <= revokedAt;

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
