using System.Globalization;
using System.Security.Claims;

namespace AuthServer.ResourceServer;

/// <summary>The claims of an AuthServer access token, read from the authenticated user.</summary>
public static class AuthServerClaims
{
    public const string Scope = "scope";
    public const string ClientId = "client_id";
    public const string AccountId = "account_id";
    public const string Expires = "exp";
    public const string Environment = "environment";

    /// <summary>The environment a token's key was created in, <c>test</c> or <c>live</c> (a token without the claim is live).</summary>
    public static string GetEnvironment(this ClaimsPrincipal user) => user.FindFirst(Environment)?.Value ?? "live";

    /// <summary>Set to <see cref="ApiKeyCredential"/> when the caller presented a key's secret instead of a token.</summary>
    public const string CredentialKind = "token_usage";
    public const string ApiKeyCredential = "api_key";

    /// <summary>
    /// The granted scopes. <c>scope</c> is one space-separated string (RFC 9068); a principal built
    /// from several <c>scope</c> claims is read the same way.
    /// </summary>
    public static IReadOnlySet<string> GetScopes(this ClaimsPrincipal user) =>
        user.FindAll(Scope)
            .SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The API key the token was issued to (<c>client_id</c>, also its <c>sub</c>).</summary>
    public static string? GetKeyId(this ClaimsPrincipal user) => user.FindFirst(ClientId)?.Value;

    public static string? GetAccountId(this ClaimsPrincipal user) => user.FindFirst(AccountId)?.Value;

    /// <summary>True when the caller presented an API key's secret itself (<c>AcceptApiKeys</c>), not an access token.</summary>
    public static bool IsApiKey(this ClaimsPrincipal user) => user.FindFirst(CredentialKind)?.Value == ApiKeyCredential;

    /// <summary>
    /// When the credential expires (<c>exp</c>): the token's expiry, or for an API key its own, if it has one; null
    /// when the principal has none.
    /// </summary>
    public static DateTimeOffset? GetExpiresAt(this ClaimsPrincipal user) =>
        long.TryParse(user.FindFirst(Expires)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}
