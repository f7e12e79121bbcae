using System.Text.RegularExpressions;
using AuthServer.Failures;
using Microsoft.Extensions.Options;

namespace AuthServer.Hosting;

/// <summary>The one line that explains why the server refused its configuration, or null for any other failure.</summary>
public static partial class StartupFailure
{
    public static string? Describe(Exception exception) => exception switch
    {
        StartupException startup => startup.Message,
        OptionsValidationException invalid => string.Join(" ", invalid.Failures),
        InvalidOperationException { InnerException: FormatException or ArgumentException } conversion
            when UnconvertibleSetting().Match(conversion.Message) is { Success: true } setting =>
            $"{setting.Groups["path"].Value} must be a {Friendly(setting.Groups["type"].Value)}; the value given is not one.",
        AggregateException { InnerExceptions: var inner } when inner.All(e => Describe(e) is not null) =>
            string.Join(" ", inner.Select(e => Describe(e))),
        _ => null,
    };

    // Configuration binding's words; the value itself is left out, since a setting can hold a secret.
    [GeneratedRegex("^Failed to convert configuration value '.*' at '(?<path>[^']+)' to type '(?<type>[^']+)'", RegexOptions.Singleline)]
    private static partial Regex UnconvertibleSetting();

    private static string Friendly(string type) => type switch
    {
        "System.TimeSpan" => "duration such as 00:00:05",
        "System.Int32" or "System.Int64" => "whole number",
        "System.Boolean" => "true or false",
        _ => type.Replace("System.", "", StringComparison.Ordinal),
    };
}
