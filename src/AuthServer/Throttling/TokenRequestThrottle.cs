using System.Threading.RateLimiting;
using AuthServer.Clients;
using AuthServer.Limits;
using Microsoft.Extensions.Options;

namespace AuthServer.Throttling;

/// <summary>
/// A limit on successful token requests per key (e.g. a client that forgot to cache its token): the key's own
/// tokens per minute (<see cref="ClientSnapshot.TokensPerMinute"/>), else <see cref="ThrottlingOptions.TokensPerKey"/>
/// per <see cref="ThrottlingOptions.TokenWindow"/>. Counted in Redis when it is configured (one limit for every
/// instance), otherwise, and whenever Redis does not answer in time, on this instance alone: fail open, since a
/// count of this instance's requests never exceeds the shared one.
/// </summary>
public sealed class TokenRequestThrottle(IOptions<ThrottlingOptions> options, RedisTokenCounter? shared = null) : IDisposable
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    // One partition per key and limit, so that a changed limit starts a fresh count rather than reinterpreting the old one.
    private readonly PartitionedRateLimiter<Partition> _local = PartitionedRateLimiter.Create<Partition, Partition>(partition =>
        RateLimitPartition.GetFixedWindowLimiter(partition, p => new FixedWindowRateLimiterOptions
        {
            PermitLimit = p.Permits, Window = p.Window, QueueLimit = 0, AutoReplenishment = true,
        }));

    public async ValueTask<(bool Granted, TimeSpan RetryAfter)> TryTakeAsync(ClientSnapshot key, CancellationToken cancellationToken)
    {
        var (permits, window) = key.TokensPerMinute is { } perMinute ? (perMinute, Minute) : (options.Value.TokensPerKey, options.Value.TokenWindow);
        if (permits <= 0)
        {
            return (true, TimeSpan.Zero);
        }

        if (shared is not null && await shared.CountAsync(key.KeyId, window, cancellationToken) is { } counted)
        {
            return counted.Count <= permits ? (true, TimeSpan.Zero) : (false, counted.WindowLeft);
        }

        using var lease = _local.AttemptAcquire(new Partition(key.KeyId, permits, window));
        if (lease.IsAcquired)
        {
            return (true, TimeSpan.Zero);
        }

        return (false, lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1));
    }

    public void Dispose() => _local.Dispose();

    private readonly record struct Partition(string KeyId, int Permits, TimeSpan Window);
}
