using AuthServer.Failures;
using Microsoft.Extensions.Options;

namespace AuthServer.ApiKeys;

/// <summary>The rules an expiry must follow, at creation and when extended.</summary>
public sealed class KeyExpiryPolicy(IOptions<ApiKeyOptions> options)
{
    /// <summary>The expiry a new key gets: the one asked for, or the maximum lifetime when one is configured.</summary>
    public DateTime? ForNewKey(DateTime? requested, DateTime now) =>
        requested is null
            ? (options.Value.MaxLifetime is { } max ? Data.StoredTime.Of(now + max) : null)
            : Validate(requested.Value, now);

    public DateTime Validate(DateTime expiresAt, DateTime now)
    {
        expiresAt = Data.StoredTime.Of(expiresAt);
        if (expiresAt <= now)
        {
            throw new InvalidFieldException("expiresAt", "The expiry must be in the future.");
        }

        if (options.Value.MaxLifetime is { } max && expiresAt > now + max)
        {
            throw new InvalidFieldException("expiresAt",
                $"The expiry may be at most {max.TotalDays:0.##} days from now ({(now + max):yyyy-MM-ddTHH:mm:ssZ}).");
        }

        return expiresAt;
    }
}
