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
    private readonly TokenRequestThrottle _perKey = new(Limit(options.Value.TokensPerPublishableKey, options.Value.Window));
    private readonly TokenRequestThrottle _perAddress = new(Limit(options.Value.TokensPerAddress, options.Value.Window));

    /// <summary>Takes a permit for both the key and the address, or says when to come back.</summary>
    public bool TryTake(string publishableKey, string address, out TimeSpan retryAfter)
    {
        if (!_perAddress.TryTake("address " + address, out retryAfter))
        {
            return false;
        }

        return _perKey.TryTake(publishableKey, out retryAfter);
    }

    private static IOptions<ThrottlingOptions> Limit(int permits, TimeSpan window) =>
        Options.Create(new ThrottlingOptions { TokensPerKey = permits, TokenWindow = window });

    public void Dispose()
    {
        _perKey.Dispose();
        _perAddress.Dispose();
    }
}
