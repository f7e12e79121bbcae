using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace SampleApi.Tests.Infrastructure;

/// <summary>
/// Writes JWTs by hand, byte for byte, as an attacker (or a buggy issuer) would: any header, any claims, signed
/// with any key or not at all. <see cref="Faithful"/> copies a real AuthServer token's claims so that each
/// forgery differs from an acceptable token in exactly one way.
/// </summary>
public static class TokenForge
{
    public static Forgery Faithful(string realToken, X509Certificate2 signer)
    {
        var parts = realToken.Split('.');
        var header = JsonNode.Parse(Base64UrlEncoder.Decode(parts[0]))!.AsObject();
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        payload["jti"] = Guid.NewGuid().ToString();
        return new Forgery(header, payload, signer.GetRSAPrivateKey()!);
    }

    public sealed class Forgery(JsonObject header, JsonObject payload, RSA key)
    {
        public JsonObject Header { get; } = header;

        public JsonObject Payload { get; } = payload;

        public Forgery With(Action<JsonObject, JsonObject> change)
        {
            change(Header, Payload);
            return this;
        }

        public string SignRs256() => Sign(data => key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        /// <summary>Signed with a key the AuthServer never had (same kid unless the header says otherwise).</summary>
        public string SignRs256With(RSA otherKey) => Sign(data => otherKey.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        /// <summary>HMAC with a key anyone can know (e.g. the public key bytes): the classic algorithm-confusion attack.</summary>
        public string SignHs256(byte[] secret)
        {
            Header["alg"] = "HS256";
            return Sign(data => HMACSHA256.HashData(secret, data));
        }

        public string WithoutSignature()
        {
            Header["alg"] = "none";
            return Encode() + ".";
        }

        private string Sign(Func<byte[], byte[]> signature)
        {
            var signingInput = Encode();
            return signingInput + "." + Base64UrlEncoder.Encode(signature(Encoding.ASCII.GetBytes(signingInput)));
        }

        private string Encode() =>
            Base64UrlEncoder.Encode(JsonSerializer.Serialize(Header)) + "." + Base64UrlEncoder.Encode(JsonSerializer.Serialize(Payload));
    }
}
