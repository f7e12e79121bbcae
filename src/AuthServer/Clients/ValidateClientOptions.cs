using Microsoft.Extensions.Options;

namespace AuthServer.Clients;

internal sealed class ValidateClientOptions : IValidateOptions<ClientOptions>
{
    public ValidateOptionsResult Validate(string? name, ClientOptions options) =>
        options.ChangePollInterval > TimeSpan.Zero && options.ChangePollInterval < options.MaxStaleness
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Clients:ChangePollInterval must be positive and shorter than Clients:MaxStaleness.");
}
