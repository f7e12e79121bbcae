using System.Security.Cryptography;
using System.Text;

namespace AuthServer.ResourceServer.ApiKeys;

/// <summary>
/// How a presented credential is told apart: an AuthServer key's secret starts with <c>authsk_</c> (the prefix
/// secret scanners look for); anything else is taken for an access token. The AuthServer checks the rest of the
/// format (length, checksum) itself, so the rule is written once there.
/// </summary>
internal static class ApiKeySecret
{
    public const string Prefix = "authsk_";

    /// <summary>Far longer than any secret: longer values are refused without asking the AuthServer.</summary>
    public const int MaxLength = 200;

    public static bool IsApiKey(string? credential) => credential?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    /// <summary>The cache key: the secret's SHA-256 in hex, so the secret itself is never kept as a key or logged.</summary>
    public static string CacheKey(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
