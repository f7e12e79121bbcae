using System.Security.Cryptography;
using AuthServer.Signing;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Discovery;

/// <summary>
/// The JWKS lists the keys <see cref="SigningKeySet"/> publishes now, not the ones OpenIddict was given at
/// registration: with rotation the set changes while the server runs. Public parts only.
/// </summary>
public sealed class PublishSigningKeys(SigningKeySet signingKeys) : IOpenIddictServerHandler<HandleJsonWebKeySetRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleJsonWebKeySetRequestContext>()
            .UseSingletonHandler<PublishSigningKeys>()
            .SetOrder(OpenIddictServerHandlers.Discovery.AttachSigningKeys.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(HandleJsonWebKeySetRequestContext context)
    {
        context.Keys.Clear();
        foreach (var credentials in signingKeys.PublishedCredentials)
        {
            context.Keys.Add(PublicJwkOf(credentials));
        }

        return ValueTask.CompletedTask;
    }

    private static JsonWebKey PublicJwkOf(SigningCredentials credentials)
    {
        var jwk = new JsonWebKey { Kid = credentials.Key.KeyId, Use = JsonWebKeyUseNames.Sig, Alg = credentials.Algorithm };
        switch (credentials.Key)
        {
            case RsaSecurityKey rsa:
                var rsaParameters = rsa.Rsa.ExportParameters(includePrivateParameters: false);
                jwk.Kty = JsonWebAlgorithmsKeyTypes.RSA;
                jwk.N = Base64UrlEncoder.Encode(rsaParameters.Modulus);
                jwk.E = Base64UrlEncoder.Encode(rsaParameters.Exponent);
                break;
            case ECDsaSecurityKey ecdsa:
                var ecParameters = ecdsa.ECDsa.ExportParameters(includePrivateParameters: false);
                jwk.Kty = JsonWebAlgorithmsKeyTypes.EllipticCurve;
                jwk.Crv = JsonWebKeyECTypes.P256;
                jwk.X = Base64UrlEncoder.Encode(ecParameters.Q.X);
                jwk.Y = Base64UrlEncoder.Encode(ecParameters.Q.Y);
                break;
            default:
                throw new CryptographicException($"Signing key {credentials.Key.KeyId} is neither RSA nor ECDSA.");
        }

        return jwk;
    }
}
