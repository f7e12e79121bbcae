using Microsoft.Extensions.Options;

namespace AuthServer.Tokens;

internal sealed class ValidateTokenOptions : IValidateOptions<TokenOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenOptions options)
    {
        var failures = new List<string>();
        if (options.AccessTokenLifetime <= TimeSpan.Zero)
        {
            failures.Add("Tokens:AccessTokenLifetime must be positive.");
        }

        if (options.Issuer is { IsAbsoluteUri: false })
        {
            failures.Add("Tokens:Issuer must be an absolute URI, e.g. https://auth.example.com/.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
