using System.Collections.Concurrent;

namespace AuthServer.ApiKeys;

/// <summary>
/// Remembers in memory when each key was last used; <see cref="KeyUsageFlusher"/> writes it in batches.
/// Recording costs one dictionary write, no I/O (docs/design.md, decision 2).
/// </summary>
public sealed class KeyUsageRecorder
{
    private ConcurrentDictionary<string, DateTime> _pending = new(StringComparer.Ordinal);

    public void Record(string keyId, DateTime usedAt) => _pending[keyId] = usedAt;

    /// <summary>How many keys' last-used times wait to be written.</summary>
    public int Backlog => _pending.Count;

    public DateTime? PendingFor(string keyId) => _pending.TryGetValue(keyId, out var usedAt) ? usedAt : null;

    /// <summary>Takes everything recorded so far; later uses go to a fresh batch.</summary>
    public IReadOnlyDictionary<string, DateTime> TakeBatch() =>
        Interlocked.Exchange(ref _pending, new ConcurrentDictionary<string, DateTime>(StringComparer.Ordinal));

    /// <summary>Puts back a batch that could not be written, keeping any newer use recorded since.</summary>
    public void Restore(IReadOnlyDictionary<string, DateTime> batch)
    {
        foreach (var (keyId, usedAt) in batch)
        {
            _pending.AddOrUpdate(keyId, usedAt, (_, newer) => newer > usedAt ? newer : usedAt);
        }
    }
}
