using AuthServer.Throttling;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Tokens;

/// <summary>Refuses with 429 a key that asks for more tokens than <see cref="ThrottlingOptions.TokensPerKey"/> per window.</summary>
public sealed class LimitTokenRequestsPerKey(TokenRequestThrottle throttle) : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseSingletonHandler<LimitTokenRequestsPerKey>()
            .SetOrder(ValidateRequestedScopes.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        var key = AuthenticatedClient.Get(context.Transaction);
        if (!throttle.TryTake(key.ClientId, out var retryAfter))
        {
            RetryableRefusal.Throttled(context, retryAfter,
                "Too many token requests for this key: cache each token until shortly before it expires.");
        }

        return ValueTask.CompletedTask;
    }
}
