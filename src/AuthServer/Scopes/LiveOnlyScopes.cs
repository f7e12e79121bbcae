using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json;
using AuthServer.Data;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace AuthServer.Scopes;

/// <summary>
/// Which scopes an operator marked live-only (test keys may not reach them). The mark is kept in the OpenIddict
/// scope's properties, so it needs no column of its own.
/// </summary>
public static class LiveOnlyScopes
{
    public const string Property = "live_only";

    public static bool IsMarked(ImmutableDictionary<string, JsonElement> properties) =>
        properties.TryGetValue(Property, out var value) && value.ValueKind == JsonValueKind.True;

    /// <summary>The ones among <paramref name="names"/> that are marked live-only.</summary>
    public static async Task<FrozenSet<string>> AmongAsync(AuthDbContext db, IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        if (names.Count == 0)
        {
            return FrozenSet<string>.Empty;
        }

        var rows = await db.Set<OpenIddictEntityFrameworkCoreScope>().AsNoTracking()
            .Where(s => names.Contains(s.Name!) && s.Properties != null)
            .Select(s => new { s.Name, s.Properties })
            .ToListAsync(cancellationToken);
        return rows
            .Where(row => names.Contains(row.Name!, StringComparer.Ordinal) && IsMarked(row.Properties))
            .Select(row => row.Name!)
            .ToFrozenSet(StringComparer.Ordinal);
    }

    private static bool IsMarked(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return false;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.Object &&
            document.RootElement.TryGetProperty(Property, out var value) && value.ValueKind == JsonValueKind.True;
    }
}
