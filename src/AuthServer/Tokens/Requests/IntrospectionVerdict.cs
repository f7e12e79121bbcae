using AuthServer.Clients;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AuthServer.Tokens.Requests;

public enum IntrospectionOutcome
{
    /// <summary>A valid token addressed to the caller whose key is live, or a live key's secret with a scope that reaches the caller.</summary>
    Active,

    /// <summary>Anything else: <c>active: false</c> (RFC 7662 §2.2), whatever the reason.</summary>
    Inactive,

    /// <summary>The key's liveness could not be read: 503, not a false "inactive".</summary>
    Unavailable,

    /// <summary>Too many secrets that named no usable key were presented through this caller from one address: 429.</summary>
    Throttled,
}

/// <param name="Token">The validated token, when <see cref="IntrospectionOutcome.Active"/> for an access token.</param>
/// <param name="Reason">Why not active, for logs and OpenIddict's error description; never sent as the answer.</param>
/// <param name="Key">The key, when <see cref="IntrospectionOutcome.Active"/> for a secret presented directly.</param>
public sealed record IntrospectionVerdict(IntrospectionOutcome Outcome, JsonWebToken? Token, string? Reason, DirectKeyGrant? Key = null, TimeSpan RetryAfter = default)
{
    public static IntrospectionVerdict Inactive(string reason) => new(IntrospectionOutcome.Inactive, null, reason);
}

/// <summary>What a key's secret, presented directly to <paramref name="Audience"/>, grants there: only the key's scopes that reach it.</summary>
public sealed record DirectKeyGrant(ClientSnapshot Key, IReadOnlyList<string> Scopes, string Audience, string Issuer);
