using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using AuthServer.ResourceServer;
using Microsoft.IdentityModel.Tokens;
using SampleApi.Tests.Infrastructure;

namespace SampleApi.Tests;

/// <summary>Every way a token can be wrong gets 401 with <c>error="invalid_token"</c>, in both modes, and never a 500.</summary>
[Collection(WithSharedAuthServer.Name)]
public sealed class RejectionTests(ResourceServerWorld world)
{
    public static TheoryData<TokenValidationMode, string> BadTokens()
    {
        var data = new TheoryData<TokenValidationMode, string>();
        foreach (var mode in Enum.GetValues<TokenValidationMode>())
        {
            foreach (var defect in new[]
            {
                "not a JWT", "addressed to another API", "another issuer", "expired", "claims changed after signing",
                "signature changed", "alg none", "HS256 keyed with the public key", "signed by another key with its own kid",
                "signed by another key posing as the real kid", "typ JWT", "no typ",
            })
            {
                data.Add(mode, defect);
            }
        }

        // A payload claim token_usage=access_token makes OpenIddict treat a typ-JWT token as an access token;
        // locally the header alone decides. (By introspection, the AuthServer decides.)
        data.Add(TokenValidationMode.Local, "typ JWT with a token_usage claim");
        return data;
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_bad_token_is_refused_with_invalid_token(TokenValidationMode mode, string defect)
    {
        var token = await BadTokenAsync(defect);

        using var response = await world.Api(mode).GetAsync("/invoices", token);

        response.AssertInvalidToken();
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(TokenValidationMode.Local)]
    [InlineData(TokenValidationMode.Introspection)]
    public async Task A_faithful_copy_signed_with_the_real_key_is_accepted_so_each_refusal_is_due_to_its_one_defect(TokenValidationMode mode)
    {
        var token = TokenForge.Faithful(await world.AuthServer.TokenAsync("invoices:read"), world.AuthServer.SigningCertificate).SignRs256();

        using var response = await world.Api(mode).GetAsync("/invoices", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<string> BadTokenAsync(string defect)
    {
        var real = await world.AuthServer.TokenAsync("invoices:read");
        var forgery = TokenForge.Faithful(real, world.AuthServer.SigningCertificate);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var otherKey = RSA.Create(2048);
        return defect switch
        {
            "not a JWT" => "not-a-jwt",
            "addressed to another API" => await world.AuthServer.TokenAsync("reports:read"),
            "another issuer" => forgery.With((_, claims) => claims["iss"] = "http://127.0.0.1:1/").SignRs256(),
            "expired" => forgery.With((_, claims) => (claims["iat"], claims["exp"]) = (now - 360, now - 60)).SignRs256(),
            "claims changed after signing" => WithScope(real, "invoices:read invoices:write"),
            "signature changed" => real[..^8] + (real[^8] == 'A' ? "BBBBBBBB" : "AAAAAAAA"),
            "alg none" => forgery.WithoutSignature(),
            "HS256 keyed with the public key" => forgery.SignHs256(world.AuthServer.SigningCertificate.GetRSAPublicKey()!.ExportSubjectPublicKeyInfo()),
            "signed by another key with its own kid" => forgery.With((header, _) => header["kid"] = "0123456789ABCDEF0123456789ABCDEF01234567").SignRs256With(otherKey),
            "signed by another key posing as the real kid" => forgery.SignRs256With(otherKey),
            "typ JWT" => forgery.With((header, _) => header["typ"] = "JWT").SignRs256(),
            "no typ" => forgery.With((header, _) => header.Remove("typ")).SignRs256(),
            "typ JWT with a token_usage claim" => forgery.With((header, claims) => (header["typ"], claims["token_usage"]) = ("JWT", "access_token")).SignRs256(),
            _ => throw new ArgumentOutOfRangeException(nameof(defect), defect, null),
        };
    }

    /// <summary>The real token with its payload rewritten and its original signature kept.</summary>
    private static string WithScope(string token, string scope)
    {
        var parts = token.Split('.');
        var claims = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        claims["scope"] = scope;
        return $"{parts[0]}.{Base64UrlEncoder.Encode(claims.ToJsonString())}.{parts[2]}";
    }
}
