using Microsoft.Extensions.Options;

namespace SampleApi.Browser;

public sealed class ValidateBrowserOptions : IValidateOptions<BrowserOptions>
{
    private const string SecretPrefix = "authsk_";

    public ValidateOptionsResult Validate(string? name, BrowserOptions options)
    {
        List<string> failures = [];
        var section = BrowserOptions.Section;
        if (!options.Enabled)
        {
            if (!string.IsNullOrEmpty(options.SigningSecret))
            {
                failures.Add($"{section}:SigningSecret is set but {section}:PublishableKey is not: the page needs its publishable key.");
            }

            return Result(failures);
        }

        if (!options.PublishableKey!.StartsWith("pk_", StringComparison.Ordinal))
        {
            failures.Add($"{section}:PublishableKey must be a publishable key (pk_test_… or pk_live_…), never a key's ID or secret.");
        }

        // Not echoed: whatever was put there may be a secret of some other kind.
        if (options.SigningSecret is { Length: > 0 } secret && !secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            failures.Add($"{section}:SigningSecret must be the API key's signing secret ({SecretPrefix}…).");
        }

        if (options.IdentityTokenLifetime <= TimeSpan.Zero || options.IdentityTokenLifetime > BrowserOptions.MaxIdentityTokenLifetime)
        {
            failures.Add($"{section}:IdentityTokenLifetime must be positive and at most {BrowserOptions.MaxIdentityTokenLifetime:c} (the AuthServer refuses longer identity tokens).");
        }

        if (string.IsNullOrWhiteSpace(options.Scope))
        {
            failures.Add($"{section}:Scope must name at least one scope.");
        }

        return Result(failures);
    }

    private static ValidateOptionsResult Result(List<string> failures) =>
        failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
}
