using AuthServer.ResourceServer.Revocations;
using OpenIddict.Validation;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Validation.OpenIddictValidationEvents;

namespace AuthServer.ResourceServer.Challenges;

/// <summary>
/// Local mode: a valid token of a key the revocation stream said was revoked is refused with 401 <c>invalid_token</c>,
/// as introspection would refuse it. Runs after the token was validated.
/// </summary>
internal sealed class RefuseTokensOfRevokedKeys(RevokedKeys revoked) : IOpenIddictValidationHandler<ProcessAuthenticationContext>
{
    public static OpenIddictValidationHandlerDescriptor Descriptor { get; } =
        OpenIddictValidationHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
            .UseSingletonHandler<RefuseTokensOfRevokedKeys>()
            .SetOrder(OpenIddictValidationHandlers.ValidateAccessToken.Descriptor.Order + 500)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        if (revoked.Count > 0 && context.AccessTokenPrincipal is { } principal && principal.GetKeyId() is { } keyId && revoked.Refuses(keyId))
        {
            context.Reject(Errors.InvalidToken, "The key of this token was revoked.", "https://www.rfc-editor.org/rfc/rfc6750#section-3.1");
        }

        return ValueTask.CompletedTask;
    }
}
