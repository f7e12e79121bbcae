using AuthServer.Clients;
using AuthServer.Secrets;

namespace AuthServer.ApiKeys;

/// <summary>Key IDs are <c>ak_</c> + 16 random base62 characters; they are never reused.</summary>
public static class ApiKeyId
{
    public const string Prefix = "ak_";
    private const int RandomLength = 16;

    public static string New() => Prefix + Base62.RandomString(RandomLength);
}
