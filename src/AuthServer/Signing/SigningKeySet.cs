using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AuthServer.Failures;
using Microsoft.IdentityModel.Tokens;

namespace AuthServer.Signing;

/// <summary>
/// The certificates in the signing folder. Every valid one is published in JWKS; the newest valid one of the
/// configured algorithm signs. A certificate whose NotBefore is still ahead is published but not used yet,
/// which is how a new key reaches resource servers' caches before its first token.
/// </summary>
public sealed partial class SigningKeySet
{
    private SigningKeySet(string algorithm, X509Certificate2 active, IReadOnlyList<X509Certificate2> published)
    {
        Algorithm = algorithm;
        Active = active;
        Published = published;
        PublishedCredentials = [.. published.Select(CredentialsOf)];
        ActiveCredentials = PublishedCredentials[published.ToList().IndexOf(active)];
    }

    public string Algorithm { get; }

    public X509Certificate2 Active { get; }

    /// <summary>All certificates published in JWKS, the active one included.</summary>
    public IReadOnlyList<X509Certificate2> Published { get; }

    /// <summary>What signs every access token: the key of <see cref="Active"/>.</summary>
    public SigningCredentials ActiveCredentials { get; }

    /// <summary>The keys of <see cref="Published"/>, in the same order: what tokens are validated against.</summary>
    public IReadOnlyList<SigningCredentials> PublishedCredentials { get; }

    /// <param name="generateWhenMissing">Development only: make and save a certificate when none can sign.</param>
    public static SigningKeySet Load(SigningOptions options, string contentRoot, bool generateWhenMissing, DateTimeOffset now, ILogger logger)
    {
        if (!SigningAlgorithms.IsSupported(options.Algorithm))
        {
            throw new StartupException(
                $"Signing:Algorithm is '{options.Algorithm}'; AuthServer signs with RS256 or ES256 only (a shared-secret algorithm such as HS256 would let every resource server forge tokens).");
        }

        var folder = Path.GetFullPath(options.CertificatesPath, contentRoot);
        var usable = ReadFolder(folder, options.CertificatePassword)
            .Where(certificate => certificate.NotAfter > now.UtcDateTime)
            .ToList();

        var active = SelectActive(usable, options.Algorithm, now);
        if (active is null)
        {
            if (!generateWhenMissing)
            {
                throw new StartupException(
                    $"No valid {options.Algorithm} signing certificate in {folder}. Outside Development AuthServer does not make one: " +
                    "put a PKCS#12 (.pfx) file there (see certs/README.md) or point Signing:CertificatesPath at the folder that has it.");
            }

            var generated = SigningCertificateGenerator.Create(options.Algorithm, now.AddMinutes(-5), now.AddYears(2));
            var path = SigningCertificateGenerator.Save(generated, options.Algorithm, folder, options.CertificatePassword);
            LogGenerated(logger, options.Algorithm, path);
            active = ReadFile(path, options.CertificatePassword);
            usable.Add(active);
        }

        return new SigningKeySet(options.Algorithm, active, usable);
    }

    public static bool Signs(X509Certificate2 certificate, string algorithm) => algorithm switch
    {
        SigningAlgorithms.RS256 => certificate.GetRSAPublicKey() is { KeySize: >= 2048 },
        SigningAlgorithms.ES256 => certificate.GetECDsaPublicKey() is { } ec && ec.KeySize == 256,
        _ => false,
    };

    /// <summary>
    /// Raw RSA/ECDSA keys (IdentityModel cannot sign ES256 through an X.509 key), identified by the
    /// certificate's thumbprint so a key keeps its <c>kid</c> from publication to retirement.
    /// </summary>
    private static SigningCredentials CredentialsOf(X509Certificate2 certificate) =>
        Signs(certificate, SigningAlgorithms.ES256)
            ? new SigningCredentials(new ECDsaSecurityKey(certificate.GetECDsaPrivateKey()!) { KeyId = certificate.Thumbprint }, SigningAlgorithms.ES256)
            : new SigningCredentials(new RsaSecurityKey(certificate.GetRSAPrivateKey()!) { KeyId = certificate.Thumbprint }, SigningAlgorithms.RS256);

    private static X509Certificate2? SelectActive(IEnumerable<X509Certificate2> certificates, string algorithm, DateTimeOffset now) =>
        certificates
            .Where(certificate => Signs(certificate, algorithm) && certificate.NotBefore <= now.UtcDateTime)
            .OrderByDescending(certificate => certificate.NotBefore)
            .FirstOrDefault();

    private static List<X509Certificate2> ReadFolder(string folder, string? password) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.pfx").Order(StringComparer.Ordinal).Select(path => ReadFile(path, password)).ToList()
            : [];

    private static X509Certificate2 ReadFile(string path, string? password)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException exception)
        {
            throw new StartupException($"Cannot read the signing certificate {path}: {exception.Message.TrimEnd('.')}. Is Signing:CertificatePassword right?");
        }

        if (!certificate.HasPrivateKey)
        {
            throw new StartupException($"The signing certificate {path} has no private key.");
        }

        if (!Signs(certificate, SigningAlgorithms.RS256) && !Signs(certificate, SigningAlgorithms.ES256))
        {
            throw new StartupException($"The signing certificate {path} has neither an RSA nor a P-256 ECDSA key.");
        }

        return certificate;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Development: generated a {Algorithm} signing certificate at {Path}.")]
    private static partial void LogGenerated(ILogger logger, string algorithm, string path);
}
