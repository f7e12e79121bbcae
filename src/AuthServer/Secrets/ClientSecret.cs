using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace AuthServer.Secrets;

/// <summary>
/// The format of every secret AuthServer generates: <c>authsk_</c> + 32 CSPRNG bytes in 43 base62 digits
/// + a 6-digit base62 CRC-32 of what precedes it. The prefix lets secret scanners find leaked secrets;
/// the checksum lets the token endpoint reject a mistyped or truncated secret without a database lookup.
/// </summary>
public static partial class ClientSecret
{
    public const string Prefix = "authsk_";
    private const int EntropyBytes = 32;
    private const int BodyLength = 43;
    private const int ChecksumLength = 6;
    public const int Length = 7 + BodyLength + ChecksumLength;

    private const string HashScheme = "sha256:";

    public static string Generate()
    {
        Span<byte> entropy = stackalloc byte[EntropyBytes];
        RandomNumberGenerator.Fill(entropy);
        var unchecked_ = Prefix + Base62.Encode(entropy, BodyLength);
        return unchecked_ + Checksum(unchecked_);
    }

    /// <summary>True when the value has the shape and checksum of a generated secret. Costs no I/O.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> secret)
    {
        if (secret.Length != Length || !secret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var body = secret[Prefix.Length..];
        if (!Base62.IsBase62(body))
        {
            return false;
        }

        var checksum = Checksum(secret[..^ChecksumLength]);
        return secret[^ChecksumLength..].SequenceEqual(checksum);
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

    /// <summary>What lists show beside the key ID: the prefix and the last four characters.</summary>
    public static string Hint(string secret) => Prefix + "..." + secret[^4..];

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

    [System.Text.RegularExpressions.GeneratedRegex("authsk_[0-9A-Za-z]*")]
    private static partial System.Text.RegularExpressions.Regex SecretShape();
}
