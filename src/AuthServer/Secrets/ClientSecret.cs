using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace AuthServer.Secrets;

/// <summary>
/// The format of every secret AuthServer generates: <c>authsk_</c>, then for an API key its environment
/// (<c>test_</c> or <c>live_</c>), then 32 CSPRNG bytes in 43 base62 digits, then a 6-digit base62 CRC-32 of
/// everything before it (the environment included). The prefix lets secret scanners find leaked secrets and
/// tell a test key from a live one; the checksum lets the token endpoint reject a mistyped or truncated
/// secret without a database lookup. Secrets made before environments existed, and resource servers'
/// introspection secrets, have no environment part: both shapes are one format, recognised by one rule.
/// </summary>
public static partial class ClientSecret
{
    public const string Prefix = "authsk_";

    /// <summary>The environments a secret may name after <see cref="Prefix"/>, each followed by <c>_</c>.</summary>
    public static readonly IReadOnlyList<string> Environments = ["test", "live"];

    /// <summary>
    /// A regular expression for anything shaped like a secret, either shape, for scanners, redaction and the
    /// tests that search logs: the prefix, the environment if any, and the base62 run after it.
    /// </summary>
    public const string ShapePattern = Prefix + EnvironmentPattern + "[0-9A-Za-z]*";

    /// <summary>The optional environment part after <see cref="Prefix"/>, as a regular expression.</summary>
    public const string EnvironmentPattern = "(?:(?:test|live)_)?";

    private const int EntropyBytes = 32;
    private const int BodyLength = 43;
    private const int ChecksumLength = 6;
    private const int EnvironmentLength = 5; // "test_" or "live_"

    /// <summary>The length of a secret without an environment part.</summary>
    public const int Length = 7 + BodyLength + ChecksumLength;

    /// <summary>The length of a secret with an environment part.</summary>
    public const int LengthWithEnvironment = Length + EnvironmentLength;

    private const string HashScheme = "sha256:";

    /// <summary>A secret without an environment part (resource servers' introspection credentials).</summary>
    public static string Generate() => Generate(environment: null);

    /// <param name="environment">One of <see cref="Environments"/>, or null for no environment part.</param>
    public static string Generate(string? environment)
    {
        if (environment is not null && !Environments.Contains(environment))
        {
            throw new ArgumentOutOfRangeException(nameof(environment), environment, "A secret's environment is test or live.");
        }

        Span<byte> entropy = stackalloc byte[EntropyBytes];
        RandomNumberGenerator.Fill(entropy);
        var unchecked_ = Prefix + (environment is null ? "" : environment + "_") + Base62.Encode(entropy, BodyLength);
        return unchecked_ + Checksum(unchecked_);
    }

    /// <summary>True when the value has the shape and checksum of a generated secret, either shape. Costs no I/O.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> secret) => TryReadEnvironment(secret, out _);

    /// <summary>
    /// True when the value is a well-formed secret; <paramref name="environment"/> is the environment its prefix
    /// names (test or live), or null for a secret without one.
    /// </summary>
    public static bool TryReadEnvironment(ReadOnlySpan<char> secret, out string? environment)
    {
        environment = null;
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var afterPrefix = secret[Prefix.Length..];
        if (secret.Length == LengthWithEnvironment)
        {
            environment = EnvironmentOf(afterPrefix);
            if (environment is null)
            {
                return false;
            }

            afterPrefix = afterPrefix[EnvironmentLength..];
        }
        else if (secret.Length != Length)
        {
            return false;
        }

        var checksum = Checksum(secret[..^ChecksumLength]);
        if (!Base62.IsBase62(afterPrefix) || !secret[^ChecksumLength..].SequenceEqual(checksum))
        {
            environment = null;
            return false;
        }

        return true;
    }

    private static string? EnvironmentOf(ReadOnlySpan<char> afterPrefix)
    {
        foreach (var environment in Environments)
        {
            if (afterPrefix.StartsWith(environment, StringComparison.Ordinal) && afterPrefix.Length > environment.Length && afterPrefix[environment.Length] == '_')
            {
                return environment;
            }
        }

        return null;
    }

    /// <summary>
    /// A generated secret carries 256 bits of entropy, so one SHA-256 is as hard to invert as a slow hash
    /// and about a thousand times cheaper to check (docs/design.md, decision 1).
    /// </summary>
    public static string Hash(string secret) => HashScheme + Convert.ToBase64String(Digest(secret));

    public static bool IsHash(string? stored) => stored?.StartsWith(HashScheme, StringComparison.Ordinal) == true;

    /// <summary>Compares in constant time; false for anything that is not a hash made by <see cref="Hash"/>.</summary>
    public static bool Matches(string secret, string? stored)
    {
        if (!IsHash(stored))
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
        if (!Convert.TryFromBase64Chars(stored.AsSpan(HashScheme.Length), expected, out var written) || written != expected.Length)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Digest(secret), expected);
    }

    /// <summary>What lists show beside the key ID: the prefix (with the environment, if any) and the last four characters.</summary>
    public static string Hint(string secret) =>
        (TryReadEnvironment(secret, out var environment) && environment is not null ? Prefix + environment + "_" : Prefix) + "..." + secret[^4..];

    /// <summary>
    /// True when the text contains the secret prefix: what must never be logged, echoed or put in a URL. Broader
    /// than <see cref="IsWellFormed"/> on purpose, so a truncated or mistyped secret is caught as well.
    /// </summary>
    public static bool LooksLikeSecret(ReadOnlySpan<char> text) => text.Contains(Prefix, StringComparison.Ordinal);

    /// <summary>
    /// For logs of caller-supplied values: someone who pastes the secret into the client_id field must not
    /// find it in the server's logs, nor forge log lines with control characters. Also caps the length.
    /// </summary>
    public static string SafeForLogs(string value)
    {
        if (LooksLikeSecret(value))
        {
            return "[redacted: looks like a secret]";
        }

        var shown = value.Length > 100 ? value[..100] + "…" : value;
        return shown.Any(char.IsControl) ? new string(shown.Select(c => char.IsControl(c) ? '?' : c).ToArray()) : shown;
    }

    /// <summary>Replaces anything shaped like a secret in a message that echoes caller input (errors, CLI output).</summary>
    public static string Redact(string message) =>
        LooksLikeSecret(message) ? SecretShape().Replace(message, Prefix + "[redacted]") : message;

    private static byte[] Digest(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private static string Checksum(ReadOnlySpan<char> text)
    {
        Span<byte> ascii = stackalloc byte[text.Length];
        Encoding.ASCII.GetBytes(text, ascii);
        return Base62.Encode(Crc32.HashToUInt32(ascii), ChecksumLength);
    }

    [System.Text.RegularExpressions.GeneratedRegex(ShapePattern)]
    private static partial System.Text.RegularExpressions.Regex SecretShape();
}
