using System.Security.Claims;
using AuthServer.Tokens.Requests;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Tokens;

/// <summary>
/// Signs in the key of a client_credentials request that reached OpenIddict's pipeline, from the request's one
/// <see cref="AccessTokenPlan"/> (<see cref="TokenRequestValidator.PlanAsync"/>). The token itself is written
/// by <see cref="WriteAccessTokenFromPlan"/>, as on the fast path. Nothing is written to the database.
/// </summary>
public sealed class IssueAccessToken(TokenRequestValidator validator) : IOpenIddictServerHandler<HandleTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleTokenRequestContext>()
            .UseSingletonHandler<IssueAccessToken>()
            .SetOrder(int.MinValue + 100_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(HandleTokenRequestContext context)
    {
        if (!context.Request.IsClientCredentialsGrantType())
        {
            return;
        }

        var http = OAuthRequestDecisions.HttpContextOf(context.Transaction);
        var key = OAuthRequestDecisions.Of(http).AuthenticatedClient;
        var planned = await validator.PlanAsync(http, key, RequestedScopes.Parse(context.Request.Scope), context.CancellationToken);
        if (planned.Plan is not { } plan)
        {
            RetryableRefusal.Unavailable(context, "The server cannot read the scopes right now; retry shortly.");
            return;
        }

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, plan.KeyId);
        identity.SetClaim(AccessTokenClaims.AccountId, plan.AccountId);
        identity.SetClaim(AccessTokenClaims.Environment, plan.Environment);
        identity.SetScopes(plan.Scopes);
        identity.SetResources(plan.Audiences);
        identity.SetDestinations(static _ => [Destinations.AccessToken]);

        var principal = new ClaimsPrincipal(identity);
        principal.SetAccessTokenLifetime(plan.Lifetime);
        context.SignIn(principal);
    }
}
