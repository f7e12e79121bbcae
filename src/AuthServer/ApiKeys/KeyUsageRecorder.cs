using System.Collections.Concurrent;

namespace AuthServer.ApiKeys;

/// <summary>Which secret of which key was used: the current one, or the one a roll replaced.</summary>
public readonly record struct KeyUse(string KeyId, SecretMatch Secret);

/// <summary>
/// Remembers in memory when each key's secret was last used; <see cref="KeyUsageFlusher"/> writes it in batches.
/// Recording costs one dictionary write, no I/O (docs/design.md, decision 2).
/// </summary>
public sealed class KeyUsageRecorder
{
    private ConcurrentDictionary<KeyUse, DateTime> _pending = new();

    public void Record(string keyId, DateTime usedAt, SecretMatch secret = SecretMatch.Current) =>
        _pending[new KeyUse(keyId, secret == SecretMatch.Previous ? SecretMatch.Previous : SecretMatch.Current)] = usedAt;

    /// <summary>How many keys' last-used times wait to be written.</summary>
    public int Backlog => _pending.Count;

    public DateTime? PendingFor(string keyId, SecretMatch secret = SecretMatch.Current) =>
        _pending.TryGetValue(new KeyUse(keyId, secret), out var usedAt) ? usedAt : null;

    /// <summary>Takes everything recorded so far; later uses go to a fresh batch.</summary>
    public IReadOnlyDictionary<KeyUse, DateTime> TakeBatch() =>
        Interlocked.Exchange(ref _pending, new ConcurrentDictionary<KeyUse, DateTime>());

    /// <summary>Puts back a batch that could not be written, keeping any newer use recorded since.</summary>
    public void Restore(IReadOnlyDictionary<KeyUse, DateTime> batch)
    {
        foreach (var (use, usedAt) in batch)
        {
            _pending.AddOrUpdate(use, usedAt, (_, newer) => newer > usedAt ? newer : usedAt);
        }
    }
}
