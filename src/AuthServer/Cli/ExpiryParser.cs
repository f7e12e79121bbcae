using System.Globalization;
using System.Text.RegularExpressions;
using AuthServer.Failures;

namespace AuthServer.Cli;

/// <summary>Reads <c>--expires</c>: an ISO 8601 date or time (UTC unless an offset is given), or a span from now such as 90d, 12h, 30m.</summary>
internal static partial class ExpiryParser
{
    public static DateTime Parse(string text, DateTime now)
    {
        var relative = RelativePattern().Match(text.Trim());
        if (relative.Success)
        {
            var amount = int.Parse(relative.Groups["n"].Value, CultureInfo.InvariantCulture);
            return relative.Groups["unit"].Value switch
            {
                "d" => now.AddDays(amount),
                "h" => now.AddHours(amount),
                "m" => now.AddMinutes(amount),
                _ => now.AddSeconds(amount),
            };
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var absolute))
        {
            return absolute.UtcDateTime;
        }

        throw new InvalidFieldException("expires", $"'{text}' is not a date (2027-01-31, 2027-01-31T12:00:00Z) nor a span from now (90d, 12h, 30m, 45s).");
    }

    [GeneratedRegex(@"^(?<n>\d{1,6})(?<unit>[dhms])$")]
    private static partial Regex RelativePattern();
}
