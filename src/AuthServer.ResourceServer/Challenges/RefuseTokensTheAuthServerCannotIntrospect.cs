using OpenIddict.Validation;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Validation.OpenIddictValidationEvents;
using static OpenIddict.Validation.OpenIddictValidationHandlers.Introspection;

namespace AuthServer.ResourceServer.Challenges;

/// <summary>
/// OpenIddict turns every error answer of the introspection endpoint into <c>server_error</c> (503 here). But an
/// AuthServer that answers <c>unsupported_token_type</c> or <c>invalid_token</c> has looked at the token and
/// refused it: that is a bad token, 401 <c>invalid_token</c>, and retrying with it will not help.
/// </summary>
internal sealed class RefuseTokensTheAuthServerCannotIntrospect : IOpenIddictValidationHandler<HandleIntrospectionResponseContext>
{
    public static OpenIddictValidationHandlerDescriptor Descriptor { get; } =
        OpenIddictValidationHandlerDescriptor.CreateBuilder<HandleIntrospectionResponseContext>()
            .UseSingletonHandler<RefuseTokensTheAuthServerCannotIntrospect>()
            .SetOrder(HandleErrorResponse.Descriptor.Order - 500)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(HandleIntrospectionResponseContext context)
    {
        if (context.Response.Error is Errors.UnsupportedTokenType or Errors.InvalidToken)
        {
            context.Reject(Errors.InvalidToken, "The authorization server does not accept this token.");
        }

        return ValueTask.CompletedTask;
    }
}
