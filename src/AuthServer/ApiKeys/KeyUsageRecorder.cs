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
    private static readonly IReadOnlyDictionary<KeyUse, DateTime> Nothing = new Dictionary<KeyUse, DateTime>();

    private ConcurrentDictionary<KeyUse, DateTime> _pending = new();

    // The batch being written: still shown by PendingFor, so that a key's last use never seems to go back in time
    // between the batch leaving memory and its rows being committed.
    private volatile IReadOnlyDictionary<KeyUse, DateTime> _writing = Nothing;

    public void Record(string keyId, DateTime usedAt, SecretMatch secret = SecretMatch.Current) =>
        _pending[new KeyUse(keyId, secret == SecretMatch.Previous ? SecretMatch.Previous : SecretMatch.Current)] = usedAt;

    /// <summary>How many keys' last-used times wait to be written.</summary>
    public int Backlog => _pending.Count;

    public DateTime? PendingFor(string keyId, SecretMatch secret = SecretMatch.Current)
    {
        var use = new KeyUse(keyId, secret);
        DateTime? writing = _writing.TryGetValue(use, out var inBatch) ? inBatch : null;
        DateTime? pending = _pending.TryGetValue(use, out var usedAt) ? usedAt : null;
        return writing > pending || pending is null ? writing : pending;
    }

    /// <summary>Takes everything recorded so far; later uses go to a fresh batch. Call <see cref="Written"/> or <see cref="Restore"/> next.</summary>
    public IReadOnlyDictionary<KeyUse, DateTime> TakeBatch()
    {
        var batch = Interlocked.Exchange(ref _pending, new ConcurrentDictionary<KeyUse, DateTime>());
        _writing = batch;
        return batch;
    }

    /// <summary>The batch taken last is in the database now.</summary>
    public void Written() => _writing = Nothing;

    /// <summary>Puts back a batch that could not be written, keeping any newer use recorded since.</summary>
    public void Restore(IReadOnlyDictionary<KeyUse, DateTime> batch)
    {
        foreach (var (use, usedAt) in batch)
        {
            _pending.AddOrUpdate(use, usedAt, (_, newer) => newer > usedAt ? newer : usedAt);
        }

        _writing = Nothing;
    }
}
