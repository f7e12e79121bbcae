using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.Validation;
using static OpenIddict.Validation.OpenIddictValidationEvents;
using static OpenIddict.Validation.OpenIddictValidationHandlerFilters;
using static OpenIddict.Validation.OpenIddictValidationHandlers.Protection;

namespace AuthServer.ResourceServer.Keys;

/// <summary>
/// Runs just before the signature check: a token whose <c>kid</c> is not among the cached keys makes the cache
/// re-read the JWKS first, so the first token signed by a newly rotated key is already accepted.
/// </summary>
internal sealed class RefreshKeysForUnknownKeyId(AuthServerMetadataCache cache) : IOpenIddictValidationHandler<ValidateTokenContext>
{
    public static OpenIddictValidationHandlerDescriptor Descriptor { get; } =
        OpenIddictValidationHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .AddFilter<RequireLocalValidation>()
            .UseSingletonHandler<RefreshKeysForUnknownKeyId>()
            .SetOrder(ValidateIdentityModelToken.Descriptor.Order - 500)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateTokenContext context)
    {
        var keyId = KeyIdOf(context.Token);
        if (keyId is null || context.TokenValidationParameters.IssuerSigningKeys?.Any(key => key.KeyId == keyId) == true)
        {
            return;
        }

        var configuration = await cache.RefreshForUnknownKeyAsync(context.Configuration, context.CancellationToken);
        if (!ReferenceEquals(configuration, context.Configuration))
        {
            context.Configuration = configuration;
            context.TokenValidationParameters.IssuerSigningKeys = configuration.SigningKeys;
        }
    }

    /// <summary>Only reads the header; the signature is checked next, by IdentityModel.</summary>
    private static string? KeyIdOf(string token)
    {
        try
        {
            return new JsonWebToken(token).Kid is { Length: > 0 } keyId ? keyId : null;
        }
        catch (ArgumentException)
        {
            return null; // not a JWT: the validation that follows refuses it
        }
    }
}
