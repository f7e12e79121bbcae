using System.Threading.RateLimiting;
using AuthServer.Throttling;
using Microsoft.Extensions.Options;

namespace AuthServer.Browser;

/// <summary>
/// Abuse from browsers is expected (a publishable key is public): token requests with publishable keys are limited
/// per publishable key and per source address, apart from secret keys' limits, so a flood through a page throttles
/// neither the key's backend nor other pages.
/// </summary>
public sealed class BrowserTokenThrottle(IOptions<BrowserOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _perKey = FixedWindows.Create(options.Value.TokensPerPublishableKey, options.Value.Window);
    private readonly PartitionedRateLimiter<string>? _perAddress = FixedWindows.Create(options.Value.TokensPerAddress, options.Value.Window);

    /// <summary>Takes a permit for both the key and the address, or says when to come back.</summary>
    public bool TryTake(string publishableKey, string address, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        return FixedWindows.TryTake(_perAddress, "address " + address, ref retryAfter) && FixedWindows.TryTake(_perKey, publishableKey, ref retryAfter);
    }

    public void Dispose()
    {
        _perKey?.Dispose();
        _perAddress?.Dispose();
    }
}
