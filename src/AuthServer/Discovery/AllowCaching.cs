using Microsoft.AspNetCore;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Discovery;

/// <summary>A successful discovery document or JWKS may be cached for <see cref="DiscoveryEndpoints.CacheLifetime"/>; errors not.</summary>
public sealed class AllowCaching :
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

    public ValueTask HandleAsync(ApplyConfigurationResponseContext context) => Allow(context);

    public ValueTask HandleAsync(ApplyJsonWebKeySetResponseContext context) => Allow(context);

    private static ValueTask Allow(BaseRequestContext context)
    {
        if (context.Transaction.Response?.Error is null && context.Transaction.GetHttpRequest() is { } request)
        {
            request.HttpContext.Response.Headers.CacheControl = $"public, max-age={(int)DiscoveryEndpoints.CacheLifetime.TotalSeconds}";
        }

        return ValueTask.CompletedTask;
    }
}
