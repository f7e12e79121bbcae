using Microsoft.IdentityModel.Tokens;

namespace AuthServer.ResourceServer.Keys;

/// <summary>
/// Accepts a token only if its header says <c>typ: at+jwt</c> (RFC 9068). OpenIddict's own type check also takes
/// a <c>token_usage</c> claim in the payload as proof of type; here the header alone decides.
/// </summary>
internal static class AccessTokenType
{
    public const string Jwt = "at+jwt";
    private const string MediaType = "application/at+jwt";

    public static string Validate(string type, SecurityToken token, TokenValidationParameters parameters) =>
        string.Equals(type, Jwt, StringComparison.OrdinalIgnoreCase) || string.Equals(type, MediaType, StringComparison.OrdinalIgnoreCase)
            ? Jwt
            : throw new SecurityTokenInvalidTypeException($"The token's type is '{type}', not '{Jwt}'.") { InvalidType = type };
}
