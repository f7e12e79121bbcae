using AuthServer.Events;
using AuthServer.Failures;

namespace AuthServer.Webhooks;

/// <summary>Which events an endpoint receives: exact types, a family (<c>key.*</c>, <c>member.*</c>) or <c>*</c>.</summary>
public static class WebhookEventTypes
{
    public const string Every = "*";

    private static readonly string[] Families = ["key.*", "member.*"];

    /// <summary>The choice in its stored form (sorted, space-separated), or an <see cref="InvalidFieldException"/>.</summary>
    public static string Normalize(IReadOnlyCollection<string>? types)
    {
        if (types is null || types.Count == 0)
        {
            throw new InvalidFieldException("eventTypes", "eventTypes is required: event types such as key.revoked, a family such as key.*, or * for every event.");
        }

        var unknown = types.FirstOrDefault(type => type != Every && !Families.Contains(type) && !LifecycleEventTypes.All.Contains(type));
        if (unknown is not null)
        {
            var name = unknown.Length > 60 ? unknown[..60] + "…" : unknown;
            throw new InvalidFieldException("eventTypes", $"'{name}' is not an event type. The types are: {string.Join(", ", LifecycleEventTypes.All.Order())}; or key.*, member.*, *.");
        }

        return string.Join(' ', types.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
    }

    public static IReadOnlyList<string> Parse(string stored) => stored.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static bool Matches(string stored, string type)
    {
        foreach (var chosen in Parse(stored))
        {
            if (chosen == Every || chosen == type || (chosen.EndsWith(".*", StringComparison.Ordinal) && type.StartsWith(chosen[..^1], StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }
}
