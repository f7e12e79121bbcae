using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.IdentityModel.Tokens;

namespace AuthServer.Signing;

/// <summary>
/// Makes the private keys of rotated signing keys and keeps them encrypted at rest with Data Protection, whose key
/// ring is in AuthServer's database: every instance can read them, a copy of the table alone reveals none.
/// </summary>
public sealed class SigningKeyMaterial(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("AuthServer.Signing.SigningKey.v1");

    public SigningKey Generate(string algorithm, int generation, DateTime createdAt, DateTime activatesAt)
    {
        byte[] pkcs8;
        if (algorithm == SigningAlgorithms.ES256)
        {
            using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            pkcs8 = ecdsa.ExportPkcs8PrivateKey();
        }
        else
        {
            using var rsa = RSA.Create(2048);
            pkcs8 = rsa.ExportPkcs8PrivateKey();
        }

        try
        {
            return new SigningKey
            {
                Id = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)),
                Generation = generation,
                Algorithm = algorithm,
                CreatedAt = createdAt,
                ActivatesAt = activatesAt,
                ProtectedPrivateKey = Convert.ToBase64String(_protector.Protect(pkcs8)),
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>
    /// The key to sign and validate with; null when it cannot be read (a database restored without its
    /// <c>DataProtectionKeys</c>, or a row that is not a key of its algorithm): such a key is neither used nor published.
    /// </summary>
    public SigningCredentials? TryOpen(SigningKey key)
    {
        byte[]? pkcs8 = null;
        try
        {
            pkcs8 = _protector.Unprotect(Convert.FromBase64String(key.ProtectedPrivateKey));
            switch (key.Algorithm)
            {
                case SigningAlgorithms.ES256:
                    var ecdsa = ECDsa.Create();
                    ecdsa.ImportPkcs8PrivateKey(pkcs8, out _);
                    return ecdsa.KeySize == 256
                        ? new SigningCredentials(new ECDsaSecurityKey(ecdsa) { KeyId = key.Id }, SigningAlgorithms.ES256)
                        : null;
                case SigningAlgorithms.RS256:
                    var rsa = RSA.Create();
                    rsa.ImportPkcs8PrivateKey(pkcs8, out _);
                    return rsa.KeySize >= 2048
                        ? new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = key.Id }, SigningAlgorithms.RS256)
                        : null;
                default:
                    return null;
            }
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException)
        {
            return null;
        }
        finally
        {
            if (pkcs8 is not null)
            {
                CryptographicOperations.ZeroMemory(pkcs8);
            }
        }
    }
}
