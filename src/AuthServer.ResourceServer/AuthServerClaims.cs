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
    public const string AuthorizedParty = "azp";
    public const string Actor = "act";
    public const string Subject = "sub";

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

    /// <summary>
    /// The API key the token was issued to: <c>azp</c> when present (a token of a publishable key, whose
    /// <c>client_id</c> is the publishable key), else <c>client_id</c> (also the <c>sub</c> of a key's own token).
    /// </summary>
    public static string? GetKeyId(this ClaimsPrincipal user) => user.FindFirst(AuthorizedParty)?.Value ?? user.FindFirst(ClientId)?.Value;

    /// <summary>
    /// The publishable key (<c>pk_…</c>) a browser got the token with: <c>client_id</c> when the token also names its
    /// API key in <c>azp</c>; null for a key's own token or a key presented directly.
    /// </summary>
    public static string? GetPublishableKey(this ClaimsPrincipal user) =>
        user.FindFirst(AuthorizedParty) is null ? null : user.FindFirst(ClientId)?.Value;

    /// <summary>
    /// The end user a token was exchanged for (<c>sub</c>, when an <c>act</c> claim names the key acting for them);
    /// null when the caller is the key itself, whose <c>sub</c> is the key ID.
    /// </summary>
    public static string? GetEndUserId(this ClaimsPrincipal user) =>
        HasActor(user) ? user.FindFirst(Subject)?.Value : null;

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

    // Locally, act (a JSON object) arrives as one claim whose value is its JSON text (value type JSON); by
    // introspection OpenIddict does the same. A JSON null or an empty value names no actor.
    private static bool HasActor(ClaimsPrincipal user) =>
        user.FindAll(Actor).Any(claim => claim.Value is { Length: > 0 } value && value != "null");
}
