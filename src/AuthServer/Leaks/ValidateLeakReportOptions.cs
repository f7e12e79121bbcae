using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace AuthServer.Leaks;

public sealed class ValidateLeakReportOptions : IValidateOptions<LeakReportOptions>
{
    public ValidateOptionsResult Validate(string? name, LeakReportOptions options)
    {
        List<string> failures = [];
        foreach (var (id, pem) in options.VerificationKeys)
        {
            if (!LeakReportSignature.TryImport(pem, out var key))
            {
                failures.Add($"LeakReports:VerificationKeys:{id} is not a PEM-encoded ECDSA P-256 public key.");
            }

            key?.Dispose();
        }

        if (options.ReportsPerMinute < 1 || options.ReportsPerMinute > 100_000)
        {
            failures.Add("LeakReports:ReportsPerMinute must be between 1 and 100000.");
        }

        if (options.MaxSecretsPerReport < 1 || options.MaxSecretsPerReport > 10_000)
        {
            failures.Add("LeakReports:MaxSecretsPerReport must be between 1 and 10000.");
        }

        if (options.ReplayWindow < TimeSpan.FromMinutes(1) || options.ReplayWindow > TimeSpan.FromDays(30))
        {
            failures.Add("LeakReports:ReplayWindow must be between 00:01:00 and 30.00:00:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
