using Microsoft.Extensions.Options;

namespace AuthServer.Browser;

public sealed class ValidateBrowserOptions : IValidateOptions<BrowserOptions>
{
    public ValidateOptionsResult Validate(string? name, BrowserOptions options)
    {
        List<string> failures = [];
        if (options.AccessTokenLifetime < TimeSpan.FromSeconds(30) || options.AccessTokenLifetime > TimeSpan.FromHours(1))
        {
            failures.Add("Browser:AccessTokenLifetime must be between 00:00:30 and 01:00:00.");
        }

        if (options.MaxIdentityTokenLifetime < TimeSpan.FromSeconds(30) || options.MaxIdentityTokenLifetime > TimeSpan.FromHours(1))
        {
            failures.Add("Browser:MaxIdentityTokenLifetime must be between 00:00:30 and 01:00:00.");
        }

        if (options.TokensPerPublishableKey < 0 || options.TokensPerAddress < 0)
        {
            failures.Add("Browser:TokensPerPublishableKey and Browser:TokensPerAddress must be 0 (no limit) or more.");
        }

        if (options.Window <= TimeSpan.Zero)
        {
            failures.Add("Browser:Window must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
