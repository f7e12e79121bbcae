using System.Text.Json;
using System.Text.RegularExpressions;

namespace AuthServer.Tests.Observability;

/// <summary>The metric names docs/grafana-dashboard.json queries, read out of each panel's PromQL.</summary>
public static partial class DashboardQueries
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset",
    };

    public static IReadOnlyList<string> Expressions(JsonElement dashboard) =>
        dashboard.GetProperty("panels").EnumerateArray()
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray())
            .Select(target => target.GetProperty("expr").GetString()!)
            .ToList();

    /// <summary>The metric names in one expression: identifiers that are neither functions, keywords, labels nor numbers.</summary>
    public static IEnumerable<string> MetricNames(string expression)
    {
        var bare = Grouping().Replace(Range().Replace(Matchers().Replace(expression, ""), ""), "");
        return Identifier().Matches(bare)
            .Where(match => !Keywords.Contains(match.Value) && !IsCall(bare, match))
            .Select(match => match.Value);
    }

    private static bool IsCall(string expression, Match match) =>
        expression.AsSpan(match.Index + match.Length).TrimStart().StartsWith("(");

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Range();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<![\w.])[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();
}
