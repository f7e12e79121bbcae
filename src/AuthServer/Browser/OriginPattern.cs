using System.Globalization;
using System.Text;
using AuthServer.Failures;

namespace AuthServer.Browser;

/// <summary>
/// One allowed origin of a publishable key: an exact origin (<c>https://app.example.com</c>,
/// <c>http://localhost:3000</c>) or a wildcard over subdomains (<c>https://*.example.com</c>, which matches
/// <c>https://a.example.com</c> and <c>https://a.b.example.com</c>, never <c>https://example.com</c> nor
/// <c>https://evil-example.com</c>). Scheme and port are part of the origin (RFC 6454), as browsers send it in
/// <c>Origin</c>: no path, no query, no user information.
/// </summary>
public sealed class OriginPattern
{
    public const int MaxLength = 200;

    private OriginPattern(string text, string scheme, string host, int port, bool wildcard)
    {
        Text = text;
        Scheme = scheme;
        Host = host;
        Port = port;
        Wildcard = wildcard;
    }

    /// <summary>The pattern as stored and shown (lower case).</summary>
    public string Text { get; }

    private string Scheme { get; }

    /// <summary>For a wildcard, the domain after <c>*.</c>.</summary>
    private string Host { get; }

    private int Port { get; }

    private bool Wildcard { get; }

    /// <summary>The pattern, or why it is not one (a sentence for the caller).</summary>
    public static OriginPattern? TryParse(string text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxLength)
        {
            error = $"An allowed origin is 1 to {MaxLength} characters, e.g. https://app.example.com.";
            return null;
        }

        var lower = text.Trim().ToLowerInvariant();
        if (!Ascii.IsValid(lower))
        {
            // Browsers send a host's punycode (xn--…) in Origin, so a Unicode pattern would never match anything.
            error = $"'{text}': write an internationalised host in its ASCII (punycode, xn--…) form, as browsers send it.";
            return null;
        }

        var wildcard = false;
        var parsable = lower;
        var schemeEnd = lower.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd > 0 && lower.AsSpan(schemeEnd + 3).StartsWith("*."))
        {
            wildcard = true;
            parsable = lower[..(schemeEnd + 3)] + lower[(schemeEnd + 5)..];
        }

        if (lower.Contains('*') && !wildcard)
        {
            error = $"'{text}': a wildcard may only stand for the subdomains of a domain, as in https://*.example.com.";
            return null;
        }

        if (!Uri.TryCreate(parsable, UriKind.Absolute, out var uri) || (uri.Scheme != "https" && uri.Scheme != "http"))
        {
            error = $"'{text}' is not an origin: write the scheme (https or http), the host and the port if any, e.g. https://app.example.com.";
            return null;
        }

        var authority = parsable[(schemeEnd + 3)..];
        if (authority.Length == 0 || authority.IndexOfAny(['/', '?', '#', '@', '\\']) >= 0)
        {
            error = $"'{text}' is not an origin: an origin has no path, query or user name (https://app.example.com, not https://app.example.com/).";
            return null;
        }

        if (uri.Host.EndsWith('.') || uri.Port == 0)
        {
            error = $"'{text}' is not an origin: a host ends without a dot, and a port is 1 to 65535.";
            return null;
        }

        if (wildcard && (uri.HostNameType != UriHostNameType.Dns || !uri.Host.Contains('.')))
        {
            error = $"'{text}': a wildcard needs a domain of at least two labels after '*.', as in https://*.example.com.";
            return null;
        }

        var normalized = uri.Scheme + "://" + (wildcard ? "*." : "") + uri.Host + (uri.IsDefaultPort ? "" : ":" + uri.Port.ToString(CultureInfo.InvariantCulture));
        return new OriginPattern(normalized, uri.Scheme, uri.Host, uri.Port, wildcard);
    }

    /// <summary>The patterns, or an <see cref="InvalidFieldException"/> naming the first that is not one.</summary>
    public static IReadOnlyList<OriginPattern> ParseAll(string field, IEnumerable<string> texts)
    {
        var patterns = new List<OriginPattern>();
        foreach (var text in texts)
        {
            AuthServer.Text.TextRule.Require(field, text);
            patterns.Add(TryParse(text, out var error) ?? throw new InvalidFieldException(field, error!));
        }

        return patterns;
    }

    /// <summary>Whether a request's <c>Origin</c> header value is this origin (or, for a wildcard, one of its subdomains).</summary>
    public bool Matches(Origin origin)
    {
        if (origin.Scheme != Scheme || origin.Port != Port)
        {
            return false;
        }

        return Wildcard
            ? origin.Host.Length > Host.Length + 1 && origin.Host.EndsWith("." + Host, StringComparison.Ordinal)
            : origin.Host == Host;
    }
}

/// <summary>An <c>Origin</c> header's value, parsed once: scheme, host and port (the scheme's default when absent).</summary>
public readonly record struct Origin(string Value, string Scheme, string Host, int Port)
{
    /// <summary>The origin, or null for an absent, opaque (<c>null</c>) or malformed header.</summary>
    public static Origin? Parse(string? header)
    {
        // Only ASCII: browsers send hosts in punycode, and anything else could not be echoed in a response header.
        if (string.IsNullOrEmpty(header) || header.Length > OriginPattern.MaxLength || header == "null" || !Ascii.IsValid(header) ||
            !Uri.TryCreate(header, UriKind.Absolute, out var uri) || (uri.Scheme != "https" && uri.Scheme != "http") ||
            uri.GetLeftPart(UriPartial.Authority).Length != header.Length || header.Contains('@'))
        {
            return null;
        }

        return new Origin(header, uri.Scheme, uri.Host, uri.Port);
    }
}
