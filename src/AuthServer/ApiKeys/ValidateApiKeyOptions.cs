using Microsoft.Extensions.Options;

namespace AuthServer.ApiKeys;

internal sealed class ValidateApiKeyOptions : IValidateOptions<ApiKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        var failures = new List<string>();
        if (options.DefaultKeyLimit < 0)
        {
            failures.Add("ApiKeys:DefaultKeyLimit cannot be negative.");
        }

        if (options.MaxLifetime <= TimeSpan.Zero)
        {
            failures.Add("ApiKeys:MaxLifetime must be positive.");
        }

        if (options.UsageFlushInterval <= TimeSpan.Zero)
        {
            failures.Add("ApiKeys:UsageFlushInterval must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
