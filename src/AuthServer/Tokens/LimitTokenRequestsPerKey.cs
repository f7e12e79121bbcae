using AuthServer.Throttling;
using AuthServer.Tokens.Requests;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Tokens;

/// <summary>Refuses with 429 a key that asks for more tokens than its limit allows (<see cref="TokenRequestThrottle"/>).</summary>
public sealed class LimitTokenRequestsPerKey(TokenRequestValidator validator) : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseSingletonHandler<LimitTokenRequestsPerKey>()
            .SetOrder(ValidateRequestedScopes.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        var http = OAuthRequestDecisions.HttpContextOf(context.Transaction);
        var permit = await validator.TakePermitAsync(http, OAuthRequestDecisions.Of(http).AuthenticatedClient, context.CancellationToken);
        if (!permit.Granted)
        {
            RetryableRefusal.Throttled(context, permit.RetryAfter,
                "Too many token requests for this key: cache each token until shortly before it expires.");
        }
    }
}
