using AuthServer.Signing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthServer.Events.Revocations;

/// <summary>
/// A revocation as a Security Event Token (RFC 8417): a JWT of type <c>secevent+jwt</c>, signed with the key that
/// signs access tokens (so a resource server checks it with the JWKS it already has), whose event is the OpenID
/// CAEP <c>credential-change</c> with <c>change_type: revoke</c>, about the key named by <c>sub_id</c> (RFC 9493,
/// format <c>opaque</c>). CAEP lists no credential type for API keys; <c>api_key</c> is AuthServer's.
/// </summary>
public sealed class SecurityEventTokenWriter(SigningKeySet signingKeys)
{
    public const string TokenType = "secevent+jwt";
    public const string CredentialChange = "https://schemas.openid.net/secevent/caep/event-type/credential-change";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public string Write(Revocation revocation, string issuer) => Handler.CreateToken(new SecurityTokenDescriptor
    {
        TokenType = TokenType,
        Issuer = issuer,
        IssuedAt = revocation.RevokedAt,
        SigningCredentials = signingKeys.ActiveCredentials,
        Claims = new Dictionary<string, object>
        {
            ["jti"] = revocation.EventId,
            ["sub_id"] = new Dictionary<string, object> { ["format"] = "opaque", ["id"] = revocation.KeyId },
            ["events"] = new Dictionary<string, object>
            {
                [CredentialChange] = new Dictionary<string, object>
                {
                    ["credential_type"] = "api_key",
                    ["change_type"] = "revoke",
                    ["event_timestamp"] = new DateTimeOffset(revocation.RevokedAt, TimeSpan.Zero).ToUnixTimeSeconds(),
                },
            },
        },
    });
}
