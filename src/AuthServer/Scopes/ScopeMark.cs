using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json;
using AuthServer.Data;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace AuthServer.Scopes;

/// <summary>
/// A mark an operator puts on a scope: <see cref="LiveOnly"/> (test keys may not reach it) or
/// <see cref="Publishable"/> (publishable keys may reach it from browsers). Marks are kept in the OpenIddict scope's
/// properties, so they need no column of their own.
/// </summary>
public sealed class ScopeMark
{
    public static ScopeMark LiveOnly { get; } = new("live_only");

    public static ScopeMark Publishable { get; } = new("publishable");

    private ScopeMark(string property) => Property = property;

    public string Property { get; }

    public bool IsOn(ImmutableDictionary<string, JsonElement> properties) =>
        properties.TryGetValue(Property, out var value) && value.ValueKind == JsonValueKind.True;

    public void Set(Dictionary<string, JsonElement> properties, bool on)
    {
        if (on)
        {
            properties[Property] = JsonSerializer.SerializeToElement(true);
        }
        else
        {
            properties.Remove(Property);
        }
    }

    /// <summary>The ones among <paramref name="names"/> that carry the mark.</summary>
    public async Task<FrozenSet<string>> AmongAsync(AuthDbContext db, IReadOnlyCollection<string> names, CancellationToken cancellationToken)
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
            .Where(row => names.Contains(row.Name!, StringComparer.Ordinal) && IsOn(row.Properties))
            .Select(row => row.Name!)
            .ToFrozenSet(StringComparer.Ordinal);
    }

    private bool IsOn(string? json)
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
