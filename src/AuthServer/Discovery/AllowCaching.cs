using AuthServer.Signing;
using Microsoft.AspNetCore;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Discovery;

/// <summary>
/// A successful discovery document may be cached for <see cref="DiscoveryEndpoints.CacheLifetime"/>, the JWKS as long
/// too unless rotation announces keys sooner than that allows (<see cref="SigningRotationOptions.JwksCacheLifetime"/>);
/// errors not.
/// </summary>
public sealed class AllowCaching(IOptions<SigningOptions> signing) :
    IOpenIddictServerHandler<ApplyConfigurationResponseContext>,
    IOpenIddictServerHandler<ApplyJsonWebKeySetResponseContext>
{
    public static OpenIddictServerHandlerDescriptor ConfigurationDescriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyConfigurationResponseContext>()
            .UseSingletonHandler<AllowCaching>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.ProcessJsonResponse<ApplyConfigurationResponseContext>.Descriptor.Order - 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public static OpenIddictServerHandlerDescriptor JsonWebKeySetDescriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyJsonWebKeySetResponseContext>()
            .UseSingletonHandler<AllowCaching>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.ProcessJsonResponse<ApplyJsonWebKeySetResponseContext>.Descriptor.Order - 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ApplyConfigurationResponseContext context) => Allow(context, DiscoveryEndpoints.CacheLifetime);

    public ValueTask HandleAsync(ApplyJsonWebKeySetResponseContext context) =>
        Allow(context, signing.Value.Rotation.JwksCacheLifetime(DiscoveryEndpoints.CacheLifetime));

    private static ValueTask Allow(BaseRequestContext context, TimeSpan lifetime)
    {
        if (context.Transaction.Response?.Error is null && context.Transaction.GetHttpRequest() is { } request)
        {
            request.HttpContext.Response.Headers.CacheControl = $"public, max-age={(int)lifetime.TotalSeconds}";
        }

        return ValueTask.CompletedTask;
    }
}
