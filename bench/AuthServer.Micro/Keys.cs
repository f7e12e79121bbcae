using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AuthServer.Signing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthServer.Micro;

/// <summary>Signing keys made the way AuthServer makes its development certificates, and a token shaped like its access tokens.</summary>
internal static class Keys
{
    public const string Issuer = "https://auth.example.com/";
    public const string Audience = "bench-api";

    public static SecurityKey PrivateKey(string algorithm)
    {
        var now = DateTimeOffset.UtcNow;
        using var certificate = SigningCertificateGenerator.Create(algorithm, now.AddMinutes(-5), now.AddDays(1));
        return algorithm == SigningAlgorithms.ES256
            ? new ECDsaSecurityKey(certificate.GetECDsaPrivateKey()!) { KeyId = certificate.Thumbprint }
            : new RsaSecurityKey(certificate.GetRSAPrivateKey()!) { KeyId = certificate.Thumbprint };
    }

    /// <summary>The public half, as a resource server gets it from JWKS.</summary>
    public static SecurityKey PublicKey(SecurityKey privateKey) => privateKey switch
    {
        RsaSecurityKey rsa => new RsaSecurityKey(rsa.Rsa.ExportParameters(false)) { KeyId = rsa.KeyId },
        ECDsaSecurityKey ec => new ECDsaSecurityKey(ECDsa.Create(ec.ECDsa.ExportParameters(false))) { KeyId = ec.KeyId },
        _ => throw new ArgumentException("Unexpected key type.", nameof(privateKey)),
    };

    /// <summary>The claims of an AuthServer access token (README, "Tokens").</summary>
    public static SecurityTokenDescriptor AccessToken(SecurityKey key, string algorithm)
    {
        var now = DateTime.UtcNow;
        return new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = null,
            Expires = now.AddMinutes(5),
            TokenType = "at+jwt",
            SigningCredentials = new SigningCredentials(key, algorithm),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = "ak_qXVMthsTxjmc7AO0",
                ["client_id"] = "ak_qXVMthsTxjmc7AO0",
                ["account_id"] = "acct_X2TJDeITdoM9",
                ["scope"] = "bench:read",
                ["jti"] = Guid.NewGuid().ToString(),
            },
        };
    }

    public static string CreateToken(SecurityKey key, string algorithm) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(AccessToken(key, algorithm));

}
