namespace AuthServer.Limits;

/// <summary>
/// Section <c>Limits</c>: where token-request counts are shared between instances. Without <see cref="Redis"/>, each
/// instance counts alone (a key's limit then holds per instance).
/// </summary>
public sealed class LimitsOptions
{
    public const string Section = "Limits";

    /// <summary>A StackExchange.Redis configuration string, e.g. <c>redis.internal:6379,password=…</c>; empty: per-instance counting.</summary>
    public string? Redis { get; set; }

    /// <summary>
    /// How long a token request waits for Redis before it counts on this instance instead (fail open). Bounds the
    /// token endpoint when Redis is stopped or stalled.
    /// </summary>
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>After Redis failed to answer, how long requests count on this instance before asking Redis again.</summary>
    public TimeSpan RedisRetryAfter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Prefix of AuthServer's Redis keys, so that several deployments may share one Redis.</summary>
    public string RedisKeyPrefix { get; set; } = "authserver:";
}
