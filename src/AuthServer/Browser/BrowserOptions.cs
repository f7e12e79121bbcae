namespace AuthServer.Browser;

/// <summary>Section <c>Browser</c>: publishable keys' tokens, identity tokens and the throttles of browser requests.</summary>
public sealed class BrowserOptions
{
    public const string Section = "Browser";

    /// <summary>The most origins one publishable key may list.</summary>
    public const int MaxAllowedOrigins = 50;

    /// <summary>Lifetime of a token got with a publishable key; shorter than a secret key's, as it lives in a page.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far ahead of now an identity token's <c>exp</c> may be (at most 1 hour).</summary>
    public TimeSpan MaxIdentityTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Token requests allowed per publishable key per window, on each instance (0: no limit).</summary>
    public int TokensPerPublishableKey { get; set; } = 600;

    /// <summary>Token requests with publishable keys allowed per source address per window, on each instance (0: no limit).</summary>
    public int TokensPerAddress { get; set; } = 60;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
