using System.Globalization;
using System.Text.RegularExpressions;
using AuthServer.Failures;

namespace AuthServer.Cli;

/// <summary>Reads <c>--grace</c>: a span such as 24h, 7d, 90m, or 0 (the old secret stops now). The range is the roller's rule.</summary>
internal static partial class GraceParser
{
    public static TimeSpan Parse(string text)
    {
        var match = SpanPattern().Match(text.Trim());
        if (!match.Success)
        {
            throw new InvalidFieldException("grace", $"'{text}' is not a grace: use a span such as 24h, 7d, 90m, or 0 to stop the old secret now.");
        }

        var amount = int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
        return match.Groups["unit"].Value switch
        {
            "d" => TimeSpan.FromDays(amount),
            "h" => TimeSpan.FromHours(amount),
            "m" => TimeSpan.FromMinutes(amount),
            _ when amount == 0 => TimeSpan.Zero,
            _ => throw new InvalidFieldException("grace", $"'{text}' needs a unit: 24h, 7d, 90m (only 0 goes without)."),
        };
    }

    [GeneratedRegex(@"^(?<n>\d{1,6})(?<unit>[dhm]?)$")]
    private static partial Regex SpanPattern();
}
