namespace AuthServer.Browser;

/// <summary>A publishable key's allowed origins: the one check of a browser request's <c>Origin</c>, for the token endpoint and its preflight.</summary>
public sealed class OriginAllowList(IReadOnlyList<OriginPattern> patterns)
{
    public static OriginAllowList Empty { get; } = new([]);

    public IReadOnlyList<OriginPattern> Patterns { get; } = patterns;

    /// <summary>No origin (none configured, or none sent) is ever allowed.</summary>
    public bool Allows(Origin? origin) => origin is { } o && Patterns.Any(pattern => pattern.Matches(o));

    /// <summary>From stored patterns (valid when they were stored; any that no longer parse are left out).</summary>
    public static OriginAllowList FromStored(IEnumerable<string> stored) =>
        new(stored.Select(text => OriginPattern.TryParse(text, out _)).OfType<OriginPattern>().ToList());
}
