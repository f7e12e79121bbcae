using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace AuthServer.Browser;

/// <summary>
/// Keys' signing secrets are stored encrypted with ASP.NET Core Data Protection, whose key ring is in AuthServer's
/// database (<see cref="BrowserSetup"/>), so that every instance can read them and a copy of the table alone reveals none.
/// </summary>
public sealed class SigningSecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("AuthServer.Browser.SigningSecret.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    /// <summary>
    /// The HMAC key identity tokens are signed with: the secret's UTF-8 bytes; null when the key ring no longer holds the
    /// key it was encrypted with (a database restored without its <c>DataProtectionKeys</c>): then the key accepts no
    /// identity tokens until a new signing secret is generated.
    /// </summary>
    public byte[]? TryUnprotect(string protectedSecret)
    {
        try
        {
            return Encoding.UTF8.GetBytes(_protector.Unprotect(protectedSecret));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
