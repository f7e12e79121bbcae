using Microsoft.Extensions.Options;
using OpenIddict.Validation;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Validation.OpenIddictValidationEvents;

namespace AuthServer.ResourceServer.Challenges;

/// <summary>
/// With <see cref="AuthServerResourceOptions.AcceptedEnvironment"/> set, a valid token of a key of the other
/// environment is refused as RFC 6750 says for a token this API does not accept: 401 <c>invalid_token</c>, with a
/// description that names both environments, so that whoever holds a test key in production sees why at once.
/// Runs after the token was validated (locally or by introspection), so its claims can be trusted.
/// </summary>
internal sealed class RefuseTokensOfOtherEnvironments(IOptions<AuthServerResourceOptions> options) : IOpenIddictValidationHandler<ProcessAuthenticationContext>
{
    public static OpenIddictValidationHandlerDescriptor Descriptor { get; } =
        OpenIddictValidationHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
            .UseSingletonHandler<RefuseTokensOfOtherEnvironments>()
            .SetOrder(OpenIddictValidationHandlers.ValidateAccessToken.Descriptor.Order + 1_000)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        if (options.Value.AcceptedEnvironment is { } accepted && context.AccessTokenPrincipal is { } principal &&
            principal.GetEnvironment() is var environment && environment != accepted)
        {
            context.Reject(Errors.InvalidToken,
                $"This API accepts only tokens of {accepted} keys; this token is of a {Describe(environment)} key.",
                "https://www.rfc-editor.org/rfc/rfc6750#section-3.1");
        }

        return ValueTask.CompletedTask;
    }

    // The claim's value comes from a validated token, but keep whatever it says out of the header if it is odd.
    private static string Describe(string environment) => environment is "test" or "live" ? environment : "different";
}
