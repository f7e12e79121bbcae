using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Tokens;

/// <summary>
/// A request without a client ID and secret is <c>invalid_client</c> ("no client authentication included",
/// RFC 6749 §5.2), with a description that says how to send them.
/// </summary>
public sealed class RequireClientCredentials :
    IOpenIddictServerHandler<ValidateTokenRequestContext>,
    IOpenIddictServerHandler<ValidateIntrospectionRequestContext>
{
    public const string Description =
        "Client authentication is required: send the client ID and secret with HTTP Basic authentication or as client_id and client_secret.";

    public static OpenIddictServerHandlerDescriptor TokenDescriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseSingletonHandler<RequireClientCredentials>()
            .SetOrder(OpenIddictServerHandlers.Exchange.ValidateGrantType.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public static OpenIddictServerHandlerDescriptor IntrospectionDescriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateIntrospectionRequestContext>()
            .UseSingletonHandler<RequireClientCredentials>()
            .SetOrder(OpenIddictServerHandlers.Introspection.ValidateTokenParameter.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        if (context.Request.IsClientCredentialsGrantType())
        {
            Require(context, context.Request);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask HandleAsync(ValidateIntrospectionRequestContext context)
    {
        Require(context, context.Request);
        return ValueTask.CompletedTask;
    }

    private static void Require(BaseValidatingContext context, OpenIddictRequest request)
    {
        if (string.IsNullOrEmpty(request.ClientId) || string.IsNullOrEmpty(request.ClientSecret))
        {
            context.Reject(Errors.InvalidClient, Description);
        }
    }
}
