using AuthServer.Clients;
using AuthServer.Data;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Tokens;

/// <summary>
/// A resource server sees only tokens addressed to it: any other token introspects as <c>active: false</c>
/// (OpenIddict turns <c>invalid_token</c> into that answer, per RFC 7662).
/// </summary>
public sealed class RequireCallerInAudience : IOpenIddictServerHandler<ValidateIntrospectionRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateIntrospectionRequestContext>()
            .UseSingletonHandler<RequireCallerInAudience>()
            .SetOrder(OpenIddictServerHandlers.Introspection.ValidateAuthorizedParty.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ValidateIntrospectionRequestContext context)
    {
        var caller = AuthenticatedClient.Get(context.Transaction).ClientId;
        if (context.GenericTokenPrincipal is not { } token || !token.HasAudience(caller))
        {
            context.Reject(Errors.InvalidToken, "The token is not addressed to this resource server.");
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Revocation reaches introspection at once: a token whose key is revoked, expired or gone is inactive,
/// however much lifetime the token itself has left.
/// </summary>
public sealed class RequireActiveKey(ClientDirectory directory, TimeProvider time) : IOpenIddictServerHandler<ValidateIntrospectionRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateIntrospectionRequestContext>()
            .UseSingletonHandler<RequireActiveKey>()
            .SetOrder(RequireCallerInAudience.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateIntrospectionRequestContext context)
    {
        var keyId = context.GenericTokenPrincipal?.GetClaim(Claims.ClientId);
        if (string.IsNullOrEmpty(keyId))
        {
            context.Reject(Errors.InvalidToken, "The token was not issued to an API key.");
            return;
        }

        ClientSnapshot? key;
        try
        {
            key = await directory.FindAsync(keyId, context.CancellationToken);
        }
        catch (DatabaseUnavailableException)
        {
            RetryableRefusal.Unavailable(context, "The server cannot check the token's key right now; retry shortly.");
            return;
        }

        if (key is not { Kind: ClientKind.ApiKey } || !key.IsActiveAt(time.GetUtcNow().UtcDateTime))
        {
            context.Reject(Errors.InvalidToken, "The token's key is no longer active.");
        }
    }
}

/// <summary>Adds what the resource server needs beyond OpenIddict's metadata: the scopes and the account.</summary>
public sealed class AttachIntrospectionClaims : IOpenIddictServerHandler<HandleIntrospectionRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleIntrospectionRequestContext>()
            .UseSingletonHandler<AttachIntrospectionClaims>()
            .SetOrder(OpenIddictServerHandlers.Introspection.AttachMetadataClaims.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(HandleIntrospectionRequestContext context)
    {
        context.Scopes.UnionWith(context.GenericTokenPrincipal.GetScopes());
        if (context.GenericTokenPrincipal.GetClaim(IssueAccessToken.AccountIdClaim) is { } accountId)
        {
            context.Claims[IssueAccessToken.AccountIdClaim] = accountId;
        }

        return ValueTask.CompletedTask;
    }
}
