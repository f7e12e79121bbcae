using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AuthServer.Failures;

namespace AuthServer.ApiKeys;

/// <summary>An idempotency key and the fingerprint of the request it came with.</summary>
internal sealed class IdempotencyCheck
{
    public IdempotencyCheck(string key, CreateApiKeyRequest request)
    {
        if (key.Length is 0 or > IdempotentKeyCreation.MaxKeyLength || key.Any(c => c is < '!' or > '~'))
        {
            throw new InvalidFieldException("Idempotency-Key",
                $"An Idempotency-Key is 1 to {IdempotentKeyCreation.MaxKeyLength} visible ASCII characters (a UUID is a good choice).");
        }

        Key = key;
        RequestHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(request))));
    }

    public string Key { get; }

    public string RequestHash { get; }
}
