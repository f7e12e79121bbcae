using Microsoft.Extensions.Options;

namespace AuthServer.Throttling;

internal sealed class ValidateThrottlingOptions : IValidateOptions<ThrottlingOptions>
{
    public ValidateOptionsResult Validate(string? name, ThrottlingOptions options) =>
        !(options.FailureWindow > TimeSpan.Zero && options.TokenWindow > TimeSpan.Zero)
            ? ValidateOptionsResult.Fail("Throttling windows must be positive.")
            : options.FailuresPerClient < 0 || options.FailuresPerAddress < 0 || options.TokensPerKey < 0
                ? ValidateOptionsResult.Fail("Throttling:FailuresPerClient, FailuresPerAddress and TokensPerKey must be 0 (no limit) or more.")
                : ValidateOptionsResult.Success;
}
