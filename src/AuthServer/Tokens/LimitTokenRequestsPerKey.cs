using AuthServer.Throttling;
using AuthServer.Tokens.Requests;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Tokens;

/// <summary>Refuses with 429 a key that asks for more tokens than <see cref="ThrottlingOptions.TokensPerKey"/> per window.</summary>
public sealed class LimitTokenRequestsPerKey(TokenRequestValidator validator) : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseSingletonHandler<LimitTokenRequestsPerKey>()
            .SetOrder(ValidateRequestedScopes.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        var http = OAuthRequestDecisions.HttpContextOf(context.Transaction);
        var permit = validator.TakePermit(http, OAuthRequestDecisions.Of(http).AuthenticatedClient.ClientId);
        if (!permit.Granted)
        {
            RetryableRefusal.Throttled(context, permit.RetryAfter,
                "Too many token requests for this key: cache each token until shortly before it expires.");
        }

        return ValueTask.CompletedTask;
    }
}
