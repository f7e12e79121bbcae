using System.Globalization;
using System.Text.RegularExpressions;

namespace AuthServer.Tests.Observability;

/// <summary>Reads a Prometheus text exposition: the samples' names, and one series' value.</summary>
public static partial class PrometheusScrapeText
{
    public static async Task<string> ScrapeAsync(this HttpClient http, string path = "/metrics")
    {
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Scrape failed: {(int)response.StatusCode} {body}");
        return body;
    }

    public static IReadOnlySet<string> SampleNames(string scrape) =>
        Samples(scrape).Select(sample => sample.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>The sum of the samples named <paramref name="name"/> that carry every label given (0 when none).</summary>
    public static double Value(string scrape, string name, params (string Label, string Value)[] labels) =>
        Samples(scrape)
            .Where(sample => sample.Name == name && labels.All(label => sample.Labels.Contains($"{label.Label}=\"{label.Value}\"")))
            .Sum(sample => sample.Value);

    private static IEnumerable<(string Name, string Labels, double Value)> Samples(string scrape)
    {
        foreach (var line in scrape.Split('\n'))
        {
            if (SampleLine().Match(line) is { Success: true } match)
            {
                yield return (match.Groups["name"].Value, match.Groups["labels"].Value,
                    double.Parse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture));
            }
        }
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>[^}]*)\})? (?<value>[-+0-9.eE]+|NaN|[+-]Inf)(?: \d+)?\s*$")]
    private static partial Regex SampleLine();
}
