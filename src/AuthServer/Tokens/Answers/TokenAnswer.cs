using OpenIddict.Abstractions;

namespace AuthServer.Tokens.Answers;

/// <summary>The fields of a successful token response (RFC 6749 §5.1), for both paths: the granted scopes always named.</summary>
public static class TokenAnswer
{
    public static IEnumerable<KeyValuePair<string, OpenIddictParameter>> Of(string accessToken, AccessTokenPlan plan, DateTimeOffset now) =>
    [
        new("access_token", accessToken),
        new("token_type", "Bearer"),
        new("expires_in", (long)Math.Round((plan.ExpiresAt - now).TotalSeconds)),
        new("scope", string.Join(' ', plan.Scopes)),
    ];
}
