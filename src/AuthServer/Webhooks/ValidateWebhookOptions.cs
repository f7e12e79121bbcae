using System.Net;
using Microsoft.Extensions.Options;

namespace AuthServer.Webhooks;

public sealed class ValidateWebhookOptions : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        List<string> failures = [];
        if (options.PollInterval < TimeSpan.FromMilliseconds(50) || options.PollInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add("Webhooks:PollInterval must be between 00:00:00.05 and 00:01:00.");
        }

        if (options.RetrySchedule.Count > 20 || options.RetrySchedule.Any(wait => wait <= TimeSpan.Zero || wait > TimeSpan.FromDays(1)))
        {
            failures.Add("Webhooks:RetrySchedule is at most 20 waits, each more than 0 and at most 1.00:00:00.");
        }

        if (options.AttemptTimeout < TimeSpan.FromMilliseconds(100) || options.AttemptTimeout > TimeSpan.FromMinutes(1))
        {
            failures.Add("Webhooks:AttemptTimeout must be between 00:00:00.1 and 00:01:00.");
        }

        if (options.DisableAfter < TimeSpan.Zero || options.DisableAfter > TimeSpan.FromDays(60))
        {
            failures.Add("Webhooks:DisableAfter must be between 00:00:00 and 60.00:00:00.");
        }

        if (options.DisableAfterFailures is < 1 or > 10_000)
        {
            failures.Add("Webhooks:DisableAfterFailures must be between 1 and 10000.");
        }

        if (options.BatchSize is < 1 or > 500 || options.MaxParallel is < 1 or > 64)
        {
            failures.Add("Webhooks:BatchSize must be between 1 and 500, and Webhooks:MaxParallel between 1 and 64.");
        }

        foreach (var network in options.AllowedPrivateNetworks.Where(n => !IPNetwork.TryParse(n, out _)))
        {
            failures.Add($"Webhooks:AllowedPrivateNetworks: '{network}' is not a network in CIDR notation (e.g. 10.0.0.0/8, fd00::/8).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
