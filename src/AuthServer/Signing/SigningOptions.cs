namespace AuthServer.Signing;

/// <summary>Section <c>Signing</c>: where the token-signing certificates are and which algorithm signs.</summary>
public sealed class SigningOptions
{
    public const string Section = "Signing";

    /// <summary><c>RS256</c> (default, most compatible) or <c>ES256</c>.</summary>
    public string Algorithm { get; set; } = SigningAlgorithms.RS256;

    /// <summary>Folder of PKCS#12 (<c>.pfx</c>) files; relative paths start at the content root.</summary>
    public string CertificatesPath { get; set; } = "certs";

    /// <summary>Password of the <c>.pfx</c> files, if they have one.</summary>
    public string? CertificatePassword { get; set; }
}

public static class SigningAlgorithms
{
    public const string RS256 = "RS256";
    public const string ES256 = "ES256";

    public static bool IsSupported(string algorithm) => algorithm is RS256 or ES256;
}
