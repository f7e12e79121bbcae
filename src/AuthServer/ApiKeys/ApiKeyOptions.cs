namespace AuthServer.ApiKeys;

/// <summary>Section <c>ApiKeys</c> of the configuration.</summary>
public sealed class ApiKeyOptions
{
    public const string Section = "ApiKeys";

    /// <summary>Active keys an account may hold unless an operator set its own limit.</summary>
    public int DefaultKeyLimit { get; set; } = 3;

    /// <summary>
    /// The longest lifetime a key may be given, at creation or by an extension. Null: keys may never expire.
    /// When set, a key created without an expiry gets this lifetime.
    /// </summary>
    public TimeSpan? MaxLifetime { get; set; }

    /// <summary>How often "last used" times are written; each key gets at most one write per interval.</summary>
    public TimeSpan UsageFlushInterval { get; set; } = TimeSpan.FromMinutes(1);
}
