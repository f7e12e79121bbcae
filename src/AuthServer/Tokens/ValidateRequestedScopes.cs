using AuthServer.Tokens.Requests;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Tokens;

/// <summary>
/// A key may ask for any subset of its scopes; asking for one it does not hold, or (a test key) reaching a live-only
/// one, is <c>invalid_scope</c> (<see cref="TokenRequestValidator.ScopeRefusal"/>).
/// </summary>
public sealed class ValidateRequestedScopes : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseSingletonHandler<ValidateRequestedScopes>()
            .SetOrder(OpenIddictServerHandlers.Exchange.ValidateAuthentication.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        var key = OAuthRequestDecisions.Of(context.Transaction).AuthenticatedClient;
        if (TokenRequestValidator.ScopeRefusal(key, RequestedScopes.Parse(context.Request.Scope)) is { } refusal)
        {
            context.Reject(Errors.InvalidScope, refusal);
        }

        return ValueTask.CompletedTask;
    }
}
