using AuthServer.Tokens;

namespace AuthServer.Browser;

/// <summary>
/// What a token request with a publishable key comes to, decided once (<see cref="PublishableTokenValidator"/>) and
/// answered by one writer (<see cref="PublishableKeyTokenEndpoint"/>): a token's plan, or an RFC 6749 refusal.
/// <paramref name="CorsOrigin"/> is the request's origin once the key's allow-list admitted it: only then does the
/// answer carry a CORS grant, so that the page can read it.
/// </summary>
public sealed record PublishableTokenDecision(
    AccessTokenPlan? Plan, PublishableRefusal? Refusal, string? CorsOrigin, bool IsTokenExchange)
{
    public static PublishableTokenDecision Refuse(int status, string error, string description, string? corsOrigin = null, TimeSpan? retryAfter = null) =>
        new(null, new PublishableRefusal(status, error, description, retryAfter), corsOrigin, false);
}

public sealed record PublishableRefusal(int Status, string Error, string Description, TimeSpan? RetryAfter);
