using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace AuthServer.Throttling;

/// <summary>
/// Brute-force protection: failed client authentications are counted per client ID from one source address,
/// and per source address. Once either count reaches its limit, further attempts are refused before any secret
/// is hashed, until the window ends. Successful authentications are never counted, so a busy, correct client
/// is never throttled by its own traffic. The client-ID count is per address because key IDs are not secret
/// (every token carries its key ID): counted across addresses, anyone could lock any key out.
/// </summary>
public sealed class FailedAuthenticationThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _perClient;
    private readonly PartitionedRateLimiter<string>? _perAddress;

    public FailedAuthenticationThrottle(IOptions<ThrottlingOptions> options)
    {
        var o = options.Value;
        _perClient = FixedWindows.Create(o.FailuresPerClient, o.FailureWindow);
        _perAddress = FixedWindows.Create(o.FailuresPerAddress, o.FailureWindow);
    }

    /// <summary>True when this client ID and address may try to authenticate; otherwise when to come back.</summary>
    public bool MayAttempt(string clientId, string address, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        return FixedWindows.HasRoom(_perClient, ClientFrom(clientId, address), ref retryAfter) & FixedWindows.HasRoom(_perAddress, address, ref retryAfter);
    }

    public void RecordFailure(string clientId, string address)
    {
        _perClient?.AttemptAcquire(ClientFrom(clientId, address)).Dispose();
        _perAddress?.AttemptAcquire(address).Dispose();
    }

    /// <summary>
    /// True when <paramref name="address"/> may present another key's secret through resource server
    /// <paramref name="callerId"/> (introspection of a key). Counted like an address's failed authentications,
    /// apart from them: one client presenting bad secrets to an API does not throttle the API's own credentials,
    /// nor the other addresses it serves.
    /// </summary>
    public bool MayPresentKey(string callerId, string address, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        return FixedWindows.HasRoom(_perAddress, PresenterFrom(callerId, address), ref retryAfter);
    }

    /// <summary>A secret that names no live key was presented from <paramref name="address"/> through <paramref name="callerId"/>.</summary>
    public void RecordKeyFailure(string callerId, string address) => _perAddress?.AttemptAcquire(PresenterFrom(callerId, address)).Dispose();

    private static string ClientFrom(string clientId, string address) => string.Concat(address, " ", clientId);

    private static string PresenterFrom(string callerId, string address) => string.Concat("key ", callerId, " ", address);

    public void Dispose()
    {
        _perClient?.Dispose();
        _perAddress?.Dispose();
    }
}

internal static class FixedWindows
{
    public static PartitionedRateLimiter<string>? Create(int permits, TimeSpan window) =>
        permits <= 0 ? null : PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true }));

    /// <summary>Takes a permit; false (and when to come back) when there is none.</summary>
    public static bool TryTake(PartitionedRateLimiter<string>? limiter, string key, ref TimeSpan retryAfter)
    {
        if (limiter is null)
        {
            return true;
        }

        using var lease = limiter.AttemptAcquire(key);
        if (!lease.IsAcquired)
        {
            retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        }

        return lease.IsAcquired;
    }

    /// <summary>Checks for a free permit without taking one (acquiring zero permits only tests).</summary>
    public static bool HasRoom(PartitionedRateLimiter<string>? limiter, string key, ref TimeSpan retryAfter)
    {
        if (limiter is null)
        {
            return true;
        }

        using var lease = limiter.AttemptAcquire(key, permitCount: 0);
        if (!lease.IsAcquired && lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > retryAfter)
        {
            retryAfter = after;
        }

        return lease.IsAcquired;
    }
}
