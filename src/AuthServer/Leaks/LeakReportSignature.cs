using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace AuthServer.Leaks;

/// <summary>
/// GitHub's signature of a report: <c>Github-Public-Key-Identifier</c> names the key, <c>Github-Public-Key-Signature</c>
/// is the Base64 of an ECDSA P-256 / SHA-256 signature (ASN.1 DER) of the raw body.
/// </summary>
public sealed class LeakReportSignature : IDisposable
{
    public const string KeyIdentifierHeader = "Github-Public-Key-Identifier";
    public const string SignatureHeader = "Github-Public-Key-Signature";

    private readonly Dictionary<string, ECDsa> _keys;

    public LeakReportSignature(IOptions<LeakReportOptions> options)
    {
        // A key that does not import is left out here; ValidateLeakReportOptions stops the server at start for it.
        _keys = new Dictionary<string, ECDsa>(StringComparer.Ordinal);
        foreach (var (id, pem) in options.Value.VerificationKeys)
        {
            if (TryImport(pem, out var key))
            {
                _keys[id] = key;
            }
        }
    }

    public bool IsConfigured => _keys.Count > 0;

    public bool Verifies(string? keyIdentifier, string? signature, ReadOnlySpan<byte> body)
    {
        if (keyIdentifier is null || signature is null || !_keys.TryGetValue(keyIdentifier, out var key))
        {
            return false;
        }

        Span<byte> decoded = stackalloc byte[128];
        return Convert.TryFromBase64String(signature, decoded, out var length) &&
               key.VerifyData(body, decoded[..length], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    public static bool TryImport(string pem, [NotNullWhen(true)] out ECDsa? key)
    {
        key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            if (key.KeySize == 256)
            {
                return true;
            }
        }
        catch (Exception exception) when (exception is ArgumentException or CryptographicException)
        {
        }

        key.Dispose();
        key = null;
        return false;
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }
}
