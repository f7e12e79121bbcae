using Microsoft.Extensions.Options;

namespace AuthServer.Events;

public sealed class ValidateEventOptions : IValidateOptions<EventOptions>
{
    public ValidateOptionsResult Validate(string? name, EventOptions options)
    {
        List<string> failures = [];
        if (options.PollInterval <= TimeSpan.Zero || options.PollInterval > TimeSpan.FromSeconds(10))
        {
            failures.Add("Events:PollInterval must be more than 0 and at most 00:00:10 (resource servers learn of a revocation within it, plus their own delay).");
        }

        if (options.ExpiringSoonNotice < TimeSpan.Zero || options.ExpiringSoonNotice > TimeSpan.FromDays(365))
        {
            failures.Add("Events:ExpiringSoonNotice must be between 00:00:00 (no key.expiring_soon events) and 365.00:00:00.");
        }

        if (options.ExpiryCheckInterval < TimeSpan.FromSeconds(1) || options.ExpiryCheckInterval > TimeSpan.FromHours(1))
        {
            failures.Add("Events:ExpiryCheckInterval must be between 00:00:01 and 01:00:00.");
        }

        if (options.HeartbeatInterval < TimeSpan.FromMilliseconds(100) || options.HeartbeatInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add("Events:HeartbeatInterval must be between 00:00:00.1 and 00:01:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
