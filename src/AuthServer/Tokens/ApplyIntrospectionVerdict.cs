using AuthServer.Tokens.Requests;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Tokens;

/// <summary>
/// Introspection that reached OpenIddict's pipeline follows the request's one verdict
/// (<see cref="IntrospectionValidator"/>, the fast path's too): not active → <c>invalid_token</c>, which OpenIddict
/// answers as <c>active: false</c> (RFC 7662); key unreadable → 503 <c>temporarily_unavailable</c>; too many
/// unusable secrets presented from one address → 429.
/// </summary>
public sealed class ApplyIntrospectionVerdict(IntrospectionValidator validator) : IOpenIddictServerHandler<ValidateIntrospectionRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateIntrospectionRequestContext>()
            .UseSingletonHandler<ApplyIntrospectionVerdict>()
            .SetOrder(OpenIddictServerHandlers.Introspection.ValidateAuthorizedParty.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateIntrospectionRequestContext context)
    {
        var http = OAuthRequestDecisions.HttpContextOf(context.Transaction);
        var caller = OAuthRequestDecisions.Of(http).AuthenticatedClient.ClientId;
        var verdict = await validator.JudgeAsync(http, caller, context.Request.Token ?? "", context.CancellationToken);
        switch (verdict.Outcome)
        {
            case IntrospectionOutcome.Unavailable:
                RetryableRefusal.Unavailable(context, "The server cannot check the token's key right now; retry shortly.");
                break;
            case IntrospectionOutcome.Throttled:
                RetryableRefusal.Throttled(context, verdict.RetryAfter, "Too many unusable API keys were presented from this address; retry later.");
                break;
            case IntrospectionOutcome.Inactive:
                context.Reject(Errors.InvalidToken, verdict.Reason);
                break;
        }
    }
}
