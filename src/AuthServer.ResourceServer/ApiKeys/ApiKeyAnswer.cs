using System.Security.Claims;

namespace AuthServer.ResourceServer.ApiKeys;

internal enum ApiKeyOutcome
{
    /// <summary>The AuthServer says the key is live and reaches this API: <see cref="ApiKeyAnswer.Principal"/> is set.</summary>
    Active,

    /// <summary>Unknown, revoked, expired, not usable directly, or no scope of it reaches this API: 401.</summary>
    Inactive,

    /// <summary>The AuthServer throttles keys presented from this address: 429 with <see cref="ApiKeyAnswer.RetryAfter"/>.</summary>
    Throttled,

    /// <summary>No answer from the AuthServer (down, timed out, or refusing this API's credentials): 503, never cached.</summary>
    Unavailable,
}

/// <param name="AskedAt">When the question was sent: a cached answer's age counts from then, never from its arrival.</param>
/// <param name="ExpiresAt">The key's own expiry, when it has one: a positive answer is never kept past it.</param>
internal sealed record ApiKeyAnswer(ApiKeyOutcome Outcome, ClaimsPrincipal? Principal, DateTimeOffset AskedAt, DateTimeOffset? ExpiresAt = null, TimeSpan RetryAfter = default);
