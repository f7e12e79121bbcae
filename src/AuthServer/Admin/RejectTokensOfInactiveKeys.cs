using AuthServer.Clients;
using AuthServer.Data;
using OpenIddict.Abstractions;
using OpenIddict.Validation;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Validation.OpenIddictValidationEvents;

namespace AuthServer.Admin;

/// <summary>
/// An admin token stops working as soon as its key is revoked or expires, like introspection: the admin API
/// checks the key's liveness (<see cref="KeyLiveness"/>) on every request, not only the token's signature. When
/// liveness cannot be known the request fails as every database failure does, with a 503 problem
/// (<see cref="AdminProblems"/>), not a challenge that would tell the caller its token is bad.
/// </summary>
public sealed class RejectTokensOfInactiveKeys(KeyLiveness liveness) : IOpenIddictValidationHandler<ProcessAuthenticationContext>
{
    public static OpenIddictValidationHandlerDescriptor Descriptor { get; } =
        OpenIddictValidationHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
            .UseSingletonHandler<RejectTokensOfInactiveKeys>()
            .SetOrder(OpenIddictValidationHandlers.ValidateAccessToken.Descriptor.Order + 1_000)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        if (context.AccessTokenPrincipal is not { } principal)
        {
            return;
        }

        switch (await liveness.CheckAsync(principal.GetClaim(Claims.ClientId), context.CancellationToken))
        {
            case Liveness.Unknown:
                throw new DatabaseUnavailableException(new TimeoutException("The key of the admin token could not be read."));
            case Liveness.NotLive:
                context.Reject(Errors.InvalidToken, "The token's key is no longer active.");
                break;
        }
    }
}
