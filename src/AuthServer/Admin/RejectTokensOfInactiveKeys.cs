using AuthServer.Clients;
using OpenIddict.Abstractions;
using OpenIddict.Validation;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Validation.OpenIddictValidationEvents;

namespace AuthServer.Admin;

/// <summary>
/// An admin token stops working as soon as its key is revoked or expires, like introspection: the admin API
/// checks the key's status (from the in-memory directory) on every request, not only the token's signature.
/// </summary>
public sealed class RejectTokensOfInactiveKeys(ClientDirectory directory, TimeProvider time)
    : IOpenIddictValidationHandler<ProcessAuthenticationContext>
{
    public static OpenIddictValidationHandlerDescriptor Descriptor { get; } =
        OpenIddictValidationHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
            .UseSingletonHandler<RejectTokensOfInactiveKeys>()
            .SetOrder(OpenIddictValidationHandlers.ValidateAccessToken.Descriptor.Order + 1_000)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        if (context.AccessTokenPrincipal?.GetClaim(Claims.ClientId) is not { } keyId)
        {
            return;
        }

        var key = await directory.FindAsync(keyId, context.CancellationToken);
        if (key is not { Kind: ClientKind.ApiKey } || !key.IsActiveAt(time.GetUtcNow().UtcDateTime))
        {
            context.Reject(Errors.InvalidToken, "The token's key is no longer active.");
        }
    }
}
