using Microsoft.Extensions.Options;

namespace AuthServer.Throttling;

internal sealed class ValidateThrottlingOptions : IValidateOptions<ThrottlingOptions>
{
    public ValidateOptionsResult Validate(string? name, ThrottlingOptions options) =>
        options.FailureWindow > TimeSpan.Zero && options.TokenWindow > TimeSpan.Zero
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Throttling windows must be positive.");
}
