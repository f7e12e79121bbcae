using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AuthServer.Failures;
using Microsoft.IdentityModel.Tokens;

namespace AuthServer.Signing;

/// <summary>
/// The keys that sign and are published: the one place both token paths, the JWKS and introspection take them from.
/// From files: every valid certificate in the signing folder is published, the newest valid one of the configured
/// algorithm signs, and a certificate whose NotBefore is still ahead is published but not used yet, which is how a
/// new key reaches resource servers' caches before its first token. With rotation (<see cref="SigningKeyRotation"/>),
/// the keys in the database are added and the active one of them signs; certificates in the folder, if any, stay
/// published, and sign only until a rotated key is active.
/// </summary>
public sealed partial class SigningKeySet
{
    private readonly IReadOnlyList<SigningCredentials> _fileCredentials;
    private readonly SigningCredentials? _fileActive;
    private volatile Snapshot _current;

    private SigningKeySet(string algorithm, X509Certificate2? active, IReadOnlyList<X509Certificate2> published)
    {
        Algorithm = algorithm;
        Active = active;
        Published = published;
        _fileCredentials = [.. published.Select(CredentialsOf)];
        _fileActive = active is null ? null : _fileCredentials[published.ToList().IndexOf(active)];
        _current = new Snapshot(_fileActive, _fileCredentials);
    }

    public string Algorithm { get; }

    /// <summary>The certificate from files that signs while no rotated key is active; none with rotation and no files.</summary>
    public X509Certificate2? Active { get; }

    /// <summary>All certificates from files published in JWKS, the active one included.</summary>
    public IReadOnlyList<X509Certificate2> Published { get; }

    /// <summary>True when a certificate from files can sign (rotation then announces its first key before using it).</summary>
    public bool FileKeySigns => _fileActive is not null;

    /// <summary>What signs every access token and security event token.</summary>
    public SigningCredentials ActiveCredentials =>
        _current.Active ?? throw new InvalidOperationException("No signing key is active yet: the rotation has not read the key set.");

    /// <summary>Every published key, the active one included: what the JWKS lists and tokens are validated against.</summary>
    public IReadOnlyList<SigningCredentials> PublishedCredentials => _current.Published;

    /// <summary>
    /// The published keys a token with this <c>kid</c> may be signed with: the resolver of every in-process validation
    /// (OpenIddict's introspection, the admin API), which would otherwise keep the keys it was given at registration.
    /// </summary>
    public IEnumerable<SecurityKey> KeysFor(string? kid) =>
        _current.Published.Select(credentials => credentials.Key).Where(key => kid is null || key.KeyId == kid);

    /// <summary>Rotation's keys: <paramref name="active"/> signs (or the certificate from files while it is null).</summary>
    public void Use(SigningCredentials? active, IReadOnlyList<SigningCredentials> published) =>
        _current = new Snapshot(active ?? _fileActive, [.. published, .. _fileCredentials]);

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
        if (options.Rotation.Enabled)
        {
            return new SigningKeySet(options.Algorithm, active, usable); // optional with rotation, and never generated
        }

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

    private sealed record Snapshot(SigningCredentials? Active, IReadOnlyList<SigningCredentials> Published);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Development: generated a {Algorithm} signing certificate at {Path}.")]
    private static partial void LogGenerated(ILogger logger, string algorithm, string path);
}
