using Microsoft.Extensions.Options;

namespace AuthServer.Signing;

public sealed class ValidateSigningOptions : IValidateOptions<SigningOptions>
{
    public ValidateOptionsResult Validate(string? name, SigningOptions options)
    {
        var rotation = options.Rotation;
        if (!rotation.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        List<string> failures = [];
        if (rotation.CheckInterval < TimeSpan.FromSeconds(1) || rotation.CheckInterval > TimeSpan.FromHours(1))
        {
            failures.Add("Signing:Rotation:CheckInterval must be between 00:00:01 and 01:00:00.");
        }

        if (rotation.AnnouncePeriod < TimeSpan.FromMinutes(2) || rotation.AnnouncePeriod < 3 * rotation.CheckInterval)
        {
            failures.Add("Signing:Rotation:AnnouncePeriod must be at least 00:02:00 and three times Signing:Rotation:CheckInterval (every instance and resource server must see a new key before it signs).");
        }

        if (rotation.ActivePeriod <= rotation.AnnouncePeriod || rotation.ActivePeriod > TimeSpan.FromDays(366))
        {
            failures.Add("Signing:Rotation:ActivePeriod must be longer than Signing:Rotation:AnnouncePeriod and at most 366.00:00:00.");
        }

        if (rotation.ClockSkew < TimeSpan.Zero || rotation.ClockSkew > TimeSpan.FromHours(1))
        {
            failures.Add("Signing:Rotation:ClockSkew must be between 00:00:00 and 01:00:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
