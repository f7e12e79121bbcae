using System.Buffers;
using System.Text;
using System.Text.Json;
using AuthServer.ApiKeys;
using AuthServer.Signing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AuthServer.Tokens;

/// <summary>
/// Writes every access token AuthServer issues, whichever path serves the request (RFC 9068: header
/// <c>typ: at+jwt</c> and <c>kid</c>), signed with the active key, and notes the key's use (in memory).
/// </summary>
public sealed class AccessTokenWriter(SigningKeySet signingKeys, KeyUsageRecorder usage)
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
            WriteAudiences(json, plan.Audiences);
            json.WriteString("scope", string.Join(' ', plan.Scopes));
            json.WriteString("jti", Guid.NewGuid().ToString());
            json.WriteString("sub", plan.Subject);
            if (plan.AccountId is not null)
            {
                json.WriteString(AccessTokenClaims.AccountId, plan.AccountId);
            }

            json.WriteString(AccessTokenClaims.Environment, plan.Environment);
            json.WriteString("client_id", plan.Client);
            if (plan.Client != plan.KeyId)
            {
                json.WriteString(AccessTokenClaims.AuthorizedParty, plan.KeyId);
            }

            if (plan.EndUser is not null)
            {
                json.WriteStartObject(AccessTokenClaims.Actor); // RFC 8693 §4.1: the key acts for the end user
                json.WriteString("sub", plan.KeyId);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        var token = _handler.CreateToken(Encoding.UTF8.GetString(payload.WrittenSpan), signingKeys.ActiveCredentials, Header);
        usage.Record(plan.KeyId, plan.IssuedAt.UtcDateTime, plan.Secret);
        return token;
    }

    /// <summary>One audience as a string, several as an array (RFC 7519 §4.1.3).</summary>
    private static void WriteAudiences(Utf8JsonWriter json, IReadOnlyCollection<string> audiences)
    {
        if (audiences.Count == 1)
        {
            json.WriteString("aud", audiences.First());
            return;
        }

        json.WriteStartArray("aud");
        foreach (var audience in audiences)
        {
            json.WriteStringValue(audience);
        }

        json.WriteEndArray();
    }
}
