using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.Server;

namespace AuthServer.Tokens.FastPath;

/// <summary>
/// Writes an access token as OpenIddict does (RFC 9068: header <c>typ: at+jwt</c> and <c>kid</c>, the same claims),
/// signed with the active key, without going through OpenIddict's generic pipeline.
/// </summary>
public sealed class AccessTokenWriter(IOptionsMonitor<OpenIddictServerOptions> server)
{
    private static readonly Dictionary<string, object> Header = new() { ["typ"] = "at+jwt" };
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public string Write(AccessTokenPlan plan, string issuer)
    {
        var payload = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(payload))
        {
            json.WriteStartObject();
            json.WriteString("iss", issuer);
            json.WriteNumber("exp", plan.ExpiresAt.ToUnixTimeSeconds());
            json.WriteNumber("iat", plan.IssuedAt.ToUnixTimeSeconds());
            if (plan.Audiences.Count == 1)
            {
                json.WriteString("aud", plan.Audiences.First());
            }
            else
            {
                json.WriteStartArray("aud");
                foreach (var audience in plan.Audiences)
                {
                    json.WriteStringValue(audience);
                }

                json.WriteEndArray();
            }

            json.WriteString("scope", string.Join(' ', plan.Scopes));
            json.WriteString("jti", Guid.NewGuid().ToString());
            json.WriteString("sub", plan.KeyId);
            if (plan.AccountId is not null)
            {
                json.WriteString(IssueAccessToken.AccountIdClaim, plan.AccountId);
            }

            json.WriteString("oi_prst", plan.KeyId); // OpenIddict's presenter claim, as in the tokens it writes
            json.WriteString("client_id", plan.KeyId);
            json.WriteEndObject();
        }

        // The active key is first (see PutActiveSigningKeyFirst).
        return _handler.CreateToken(Encoding.UTF8.GetString(payload.WrittenSpan), server.CurrentValue.SigningCredentials[0], Header);
    }
}
