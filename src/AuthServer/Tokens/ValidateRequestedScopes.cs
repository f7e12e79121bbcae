using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Tokens;

/// <summary>A key may ask for any subset of its scopes; asking for one it does not hold is <c>invalid_scope</c>.</summary>
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
        var client = AuthenticatedClient.Get(context.Transaction);
        foreach (var scope in context.Request.GetScopes())
        {
            if (!client.Scopes.Contains(scope))
            {
                context.Reject(Errors.InvalidScope, $"The key does not hold the scope '{Truncate(scope)}'.");
                return ValueTask.CompletedTask;
            }
        }

        return ValueTask.CompletedTask;
    }

    private static string Truncate(string scope) => scope.Length <= 100 ? scope : scope[..100] + "…";
}
