using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace AuthServer.ResourceServer.ApiKeys;

/// <summary>
/// The AuthServer's answers about key secrets, kept briefly: a positive one for <c>ApiKeyCacheDuration</c> (never
/// past the key's expiry), a negative one for <c>ApiKeyNegativeCacheDuration</c>, counted from when the question
/// was sent; "unreachable" and "throttled" are not kept. Concurrent requests with the same key share one question,
/// so a key used thousands of times a second costs about one introspection per cache duration. Entries are keyed
/// by the secret's SHA-256, never by the secret.
/// </summary>
internal sealed class ApiKeyAnswerCache(ApiKeyIntrospector introspector, IOptions<AuthServerResourceOptions> options, TimeProvider time)
{
    // Beyond this many entries, stale ones are swept before another is added (a flood of made-up keys cannot exhaust memory).
    private const int SweepAbove = 100_000;

    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);

    public Task<ApiKeyAnswer> GetAsync(Uri endpoint, string secret, string? presenterAddress, CancellationToken cancellationToken)
    {
        var key = ApiKeySecret.CacheKey(secret);
        var now = time.GetUtcNow();
        if (_slots.TryGetValue(key, out var cached) && IsUsable(cached, now))
        {
            return cached.Answer.Value.WaitAsync(cancellationToken);
        }

        if (_slots.Count > SweepAbove)
        {
            Sweep(now);
        }

        var fresh = new Slot(new Lazy<Task<ApiKeyAnswer>>(() => introspector.AskAsync(endpoint, secret, presenterAddress)));
        var slot = _slots.AddOrUpdate(key, fresh, (_, existing) => IsUsable(existing, now) ? existing : fresh);
        return slot.Answer.Value.WaitAsync(cancellationToken); // the question itself is not the caller's to cancel
    }

    private bool IsUsable(Slot slot, DateTimeOffset now)
    {
        var answer = slot.Answer.Value;
        if (!answer.IsCompleted)
        {
            return true; // asked and not answered yet: wait for the same answer
        }

        return answer.IsCompletedSuccessfully && now < KeptUntil(answer.Result);
    }

    private DateTimeOffset KeptUntil(ApiKeyAnswer answer)
    {
        var settings = options.Value;
        return answer.Outcome switch
        {
            ApiKeyOutcome.Active when answer.ExpiresAt is { } expiresAt && expiresAt < answer.AskedAt + settings.ApiKeyCacheDuration => expiresAt,
            ApiKeyOutcome.Active => answer.AskedAt + settings.ApiKeyCacheDuration,
            ApiKeyOutcome.Inactive => answer.AskedAt + settings.ApiKeyNegativeCacheDuration,
            _ => DateTimeOffset.MinValue,
        };
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, slot) in _slots)
        {
            if (!IsUsable(slot, now))
            {
                _slots.TryRemove(new KeyValuePair<string, Slot>(key, slot));
            }
        }
    }

    /// <summary>One question to the AuthServer; started only by the request whose slot won.</summary>
    private sealed record Slot(Lazy<Task<ApiKeyAnswer>> Answer);
}
