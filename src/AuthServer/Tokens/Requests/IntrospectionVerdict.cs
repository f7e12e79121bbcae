using Microsoft.IdentityModel.JsonWebTokens;

namespace AuthServer.Tokens.Requests;

public enum IntrospectionOutcome
{
    /// <summary>A valid token addressed to the caller, whose key is live.</summary>
    Active,

    /// <summary>Anything else: <c>active: false</c> (RFC 7662 §2.2), whatever the reason.</summary>
    Inactive,

    /// <summary>The key's liveness could not be read: 503, not a false "inactive".</summary>
    Unavailable,
}

/// <param name="Token">The validated token, when <see cref="IntrospectionOutcome.Active"/>.</param>
/// <param name="Reason">Why not active, for logs and OpenIddict's error description; never sent as the answer.</param>
public sealed record IntrospectionVerdict(IntrospectionOutcome Outcome, JsonWebToken? Token, string? Reason)
{
    public static IntrospectionVerdict Inactive(string reason) => new(IntrospectionOutcome.Inactive, null, reason);
}
