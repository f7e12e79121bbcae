using AuthServer.Tokens.Requests;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Tokens;

/// <summary>
/// When OpenIddict's pipeline issues an access token, the token is the one <see cref="AccessTokenWriter"/> writes
/// from the request's plan, exactly as on the fast path: OpenIddict's own JWT generation is skipped (it does
/// nothing for a context whose token is already set).
/// </summary>
public sealed class WriteAccessTokenFromPlan(AccessTokenWriter writer, TokenIssuer issuer) : IOpenIddictServerHandler<GenerateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
            .UseSingletonHandler<WriteAccessTokenFromPlan>()
            .SetOrder(OpenIddictServerHandlers.Protection.GenerateIdentityModelToken.Descriptor.Order - 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(GenerateTokenContext context)
    {
        if (context.TokenType != TokenTypeIdentifiers.AccessToken)
        {
            return ValueTask.CompletedTask; // AuthServer issues no other kind of token
        }

        var http = OAuthRequestDecisions.HttpContextOf(context.Transaction);
        var plan = OAuthRequestDecisions.Of(http).Plan?.Plan
            ?? throw new InvalidOperationException("An access token is generated only for a planned request.");
        if (!issuer.TryGet(http.Request, out var iss))
        {
            throw new InvalidOperationException("The request has no usable base address for the issuer.");
        }

        context.Token = writer.Write(plan, iss);
        return ValueTask.CompletedTask;
    }
}
