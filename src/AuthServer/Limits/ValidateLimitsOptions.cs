using Microsoft.Extensions.Options;

namespace AuthServer.Limits;

internal sealed class ValidateLimitsOptions : IValidateOptions<LimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, LimitsOptions options)
    {
        if (options.RedisTimeout <= TimeSpan.Zero || options.RedisTimeout > TimeSpan.FromSeconds(10))
        {
            return ValidateOptionsResult.Fail("Limits:RedisTimeout must be more than 0 and at most 00:00:10.");
        }

        if (options.RedisRetryAfter < TimeSpan.Zero)
        {
            return ValidateOptionsResult.Fail("Limits:RedisRetryAfter cannot be negative.");
        }

        if (!string.IsNullOrWhiteSpace(options.Redis))
        {
            try
            {
                StackExchange.Redis.ConfigurationOptions.Parse(options.Redis);
            }
            catch (ArgumentException)
            {
                // Not the value itself: it may hold a password.
                return ValidateOptionsResult.Fail("Limits:Redis is not a StackExchange.Redis configuration string (e.g. redis.internal:6379,password=…).");
            }
        }

        return ValidateOptionsResult.Success;
    }
}
