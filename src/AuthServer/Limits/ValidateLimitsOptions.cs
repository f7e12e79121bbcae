using Microsoft.Extensions.Options;

namespace AuthServer.Limits;

internal sealed class ValidateLimitsOptions : IValidateOptions<LimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, LimitsOptions options) =>
        options.RedisTimeout <= TimeSpan.Zero || options.RedisTimeout > TimeSpan.FromSeconds(10)
            ? ValidateOptionsResult.Fail("Limits:RedisTimeout must be more than 0 and at most 00:00:10.")
        : options.RedisRetryAfter < TimeSpan.Zero
            ? ValidateOptionsResult.Fail("Limits:RedisRetryAfter cannot be negative.")
            : ValidateOptionsResult.Success;
}
