using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AuthServer.Signing;

/// <summary>Makes self-signed signing certificates: for Development start-up, tests and the CLI.</summary>
public static class SigningCertificateGenerator
{
    public static X509Certificate2 Create(string algorithm, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var subject = new X500DistinguishedName($"CN=AuthServer token signing ({algorithm})");
        CertificateRequest request;
        if (algorithm == SigningAlgorithms.ES256)
        {
            using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            request = new CertificateRequest(subject, ecdsa, HashAlgorithmName.SHA256);
            return Sign(request, notBefore, notAfter);
        }

        using var rsa = RSA.Create(2048);
        request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return Sign(request, notBefore, notAfter);
    }

    /// <summary>Writes the certificate with its private key to <paramref name="folder"/> and returns the file path.</summary>
    public static string Save(X509Certificate2 certificate, string algorithm, string folder, string? password)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"signing-{algorithm.ToLowerInvariant()}-{certificate.NotBefore.ToUniversalTime():yyyyMMddHHmmss}-{certificate.Thumbprint[..8].ToLowerInvariant()}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }

    private static X509Certificate2 Sign(CertificateRequest request, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        return request.CreateSelfSigned(notBefore, notAfter);
    }
}
