namespace AuthServer.Signing;

/// <summary>Section <c>Signing</c>: where the token-signing certificates are, which algorithm signs, and rotation.</summary>
public sealed class SigningOptions
{
    public const string Section = "Signing";

    /// <summary><c>RS256</c> (default, most compatible) or <c>ES256</c>.</summary>
    public string Algorithm { get; set; } = SigningAlgorithms.RS256;

    /// <summary>Folder of PKCS#12 (<c>.pfx</c>) files; relative paths start at the content root.</summary>
    public string CertificatesPath { get; set; } = "certs";

    /// <summary>Password of the <c>.pfx</c> files, if they have one.</summary>
    public string? CertificatePassword { get; set; }

    public SigningRotationOptions Rotation { get; set; } = new();
}

/// <summary>Section <c>Signing:Rotation</c>: keys AuthServer makes, keeps in the database and replaces itself.</summary>
public sealed class SigningRotationOptions
{
    public bool Enabled { get; set; }

    /// <summary>How long a new key is published in the JWKS before it signs: longer than resource servers' JWKS refresh.</summary>
    public TimeSpan AnnouncePeriod { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long each key signs before the next one takes over.</summary>
    public TimeSpan ActivePeriod { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often each instance reads the key set (and, when due, generates the next key).</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Added to the longest token lifetime before a retired key leaves the JWKS: clocks of resource servers differ.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A new key reaches every instance's JWKS within one <see cref="CheckInterval"/> of its generation and signs at
    /// the end of <see cref="AnnouncePeriod"/>. An HTTP cache may keep the JWKS for at most half of what is left, so
    /// that resource servers keep the other half for their own refresh; never longer than <paramref name="ceiling"/>.
    /// </summary>
    public TimeSpan JwksCacheLifetime(TimeSpan ceiling) =>
        Enabled && (AnnouncePeriod - CheckInterval) / 2 < ceiling ? (AnnouncePeriod - CheckInterval) / 2 : ceiling;
}

public static class SigningAlgorithms
{
    public const string RS256 = "RS256";
    public const string ES256 = "ES256";

    public static bool IsSupported(string algorithm) => algorithm is RS256 or ES256;
}
