using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Discovery;

/// <summary>
/// OpenIddict makes the endpoint URLs of the discovery document absolute against the request's base URI, i.e. its
/// Host header, even when an issuer is configured; then any caller could have its own host named as the token
/// endpoint. With an issuer, the document's URLs start from it. The endpoints stay routed by their relative paths.
/// </summary>
public sealed class NameEndpointsAfterIssuer : IOpenIddictServerHandler<HandleConfigurationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleConfigurationRequestContext>()
            .UseSingletonHandler<NameEndpointsAfterIssuer>()
            .SetOrder(OpenIddictServerHandlers.Discovery.AttachEndpoints.Descriptor.Order - 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(HandleConfigurationRequestContext context)
    {
        if (context.Options.Issuer is { } issuer)
        {
            context.BaseUri = issuer;
        }

        return ValueTask.CompletedTask;
    }
}
