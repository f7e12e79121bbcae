using System.Security.Claims;
using AuthServer.Tokens.Requests;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Tokens;

/// <summary>
/// A key's secret sent to introspection is no token OpenIddict could read: it is let through OpenIddict's token
/// validation with an empty principal, so that <see cref="ApplyIntrospectionVerdict"/> judges it by the request's
/// one verdict (<see cref="IntrospectionValidator"/>, the fast path's too) and the answer comes from the shared fields.
/// </summary>
public sealed class AcceptKeySecretsForIntrospection : IOpenIddictServerHandler<ValidateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseSingletonHandler<AcceptKeySecretsForIntrospection>()
            .SetOrder(OpenIddictServerHandlers.Protection.ValidateIdentityModelToken.Descriptor.Order - 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ValidateTokenContext context)
    {
        if (context.EndpointType == OpenIddictServerEndpointType.Introspection && context.Principal is null &&
            context.Token is { } token && IntrospectionValidator.IsKeySecret(token))
        {
            var principal = new ClaimsPrincipal(new ClaimsIdentity("AuthServer", Claims.Name, Claims.Role));
            context.Principal = principal.SetTokenType(TokenTypeIdentifiers.AccessToken);
        }

        return ValueTask.CompletedTask;
    }
}
