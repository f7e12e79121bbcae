using Microsoft.Extensions.Options;

namespace AuthServer.Console.SingleSignOn;

public sealed class ValidateSingleSignOnOptions : IValidateOptions<SingleSignOnOptions>
{
    public ValidateOptionsResult Validate(string? name, SingleSignOnOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var authority = options.Authority!;
        return !authority.IsAbsoluteUri || !(authority.Scheme == Uri.UriSchemeHttps || (authority.Scheme == Uri.UriSchemeHttp && authority.IsLoopback))
                ? ValidateOptionsResult.Fail($"{SingleSignOnOptions.Section}:Authority must be an https:// URL (http:// only on loopback), e.g. https://login.example.com.")
            : string.IsNullOrWhiteSpace(options.ClientId) ? ValidateOptionsResult.Fail($"{SingleSignOnOptions.Section}:ClientId is required when Authority is set.")
            : string.IsNullOrWhiteSpace(options.DisplayName) || options.DisplayName.Length > 60 ? ValidateOptionsResult.Fail($"{SingleSignOnOptions.Section}:DisplayName must be 1 to 60 characters.")
            : ValidateOptionsResult.Success;
    }
}
