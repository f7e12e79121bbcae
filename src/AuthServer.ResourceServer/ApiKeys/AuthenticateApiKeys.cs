using System.Net;
using Microsoft.AspNetCore;
using Microsoft.Extensions.Options;
using OpenIddict.Validation;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Validation.OpenIddictValidationEvents;
using static OpenIddict.Validation.OpenIddictValidationHandlers;

namespace AuthServer.ResourceServer.ApiKeys;

/// <summary>
/// A credential that is a key's secret (<see cref="ApiKeySecret"/>) is not a JWT and is never checked as one.
/// With <c>AcceptApiKeys</c> it is authenticated by the AuthServer's answer about it (<see cref="ApiKeyAnswerCache"/>):
/// the principal a token would give, or the same 401 <c>invalid_token</c> challenge as a bad token, 429 when the
/// AuthServer throttles the presenting address, 503 when it cannot be asked. Without it, a secret is refused
/// here, before it could be sent anywhere.
/// </summary>
internal sealed class AuthenticateApiKeys(IOptions<AuthServerResourceOptions> options, ApiKeyAnswerCache answers) : IOpenIddictValidationHandler<ProcessAuthenticationContext>
{
    public const string RefusedDescription = "The API key is not valid for this API.";

    public static OpenIddictValidationHandlerDescriptor Descriptor { get; } =
        OpenIddictValidationHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
            .UseSingletonHandler<AuthenticateApiKeys>()
            .SetOrder(EvaluateIntrospectionRequest.Descriptor.Order + 500)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        if (!ApiKeySecret.IsApiKey(context.AccessToken))
        {
            return;
        }

        // Whatever happens next, OpenIddict neither validates the secret as a JWT nor sends it to introspection.
        context.ValidateAccessToken = false;
        context.SendIntrospectionRequest = false;
        var secret = context.AccessToken!;
        if (!options.Value.AcceptApiKeys)
        {
            context.Reject(Errors.InvalidToken, "This API does not accept API keys directly: exchange the key for an access token at the AuthServer's token endpoint.");
            return;
        }

        if (secret.Length > ApiKeySecret.MaxLength || context.Configuration?.IntrospectionEndpoint is not { } endpoint)
        {
            context.Reject(secret.Length > ApiKeySecret.MaxLength ? Errors.InvalidToken : Errors.ServerError, RefusedDescription);
            return;
        }

        var request = context.Transaction.GetHttpRequest();
        var presenter = request?.HttpContext.Connection.RemoteIpAddress is { } address ? Normal(address) : null;
        var answer = await answers.GetAsync(endpoint, secret, presenter, context.CancellationToken);
        switch (answer.Outcome)
        {
            case ApiKeyOutcome.Active:
                context.AccessTokenPrincipal = answer.Principal!.Clone(); // one cached answer, a principal of its own per request
                break;
            case ApiKeyOutcome.Throttled:
                ApiKeyThrottled.Mark(context.Transaction, answer.RetryAfter);
                context.Reject(Errors.ServerError, "The AuthServer throttles API keys presented from this address.");
                break;
            case ApiKeyOutcome.Unavailable:
                context.Reject(Errors.ServerError, "The API key cannot be checked right now.");
                break;
            default:
                context.Reject(Errors.InvalidToken, RefusedDescription);
                break;
        }
    }

    private static string Normal(IPAddress address) => (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}
