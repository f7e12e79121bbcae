namespace AuthServer.Throttling;

/// <summary>Section <c>Throttling</c>. Limits are per server instance, but for <see cref="TokensPerKey"/>, which Redis shares when <c>Limits:Redis</c> is set; 0 turns a limit off.</summary>
public sealed class ThrottlingOptions
{
    public const string Section = "Throttling";

    /// <summary>Failed client authentications allowed per client ID from one address per window, before any secret is checked again.</summary>
    public int FailuresPerClient { get; set; } = 10;

    /// <summary>Failed client authentications allowed per source address per window.</summary>
    public int FailuresPerAddress { get; set; } = 50;

    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Successful token requests allowed per key per window. A client that caches its token until shortly
    /// before <c>exp</c> needs about one per token lifetime.
    /// </summary>
    public int TokensPerKey { get; set; } = 600;

    public TimeSpan TokenWindow { get; set; } = TimeSpan.FromMinutes(1);
}
