using System.Security.Claims;
using AuthServer.ApiKeys;
using AuthServer.Data;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Tokens;

/// <summary>
/// Issues the access token of a client_credentials request that reached OpenIddict's pipeline (the fast path
/// handles the usual ones), from the same <see cref="AccessTokenPlan"/>. Nothing is written to the database;
/// the key's use is only noted in memory.
/// </summary>
public sealed class IssueAccessToken(AccessTokenPlanner planner, KeyUsageRecorder usage) : IOpenIddictServerHandler<HandleTokenRequestContext>
{
    public const string AccountIdClaim = "account_id";

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

        var key = AuthenticatedClient.Get(context.Transaction);
        AccessTokenPlan plan;
        try
        {
            plan = await planner.PlanAsync(key, context.Request.GetScopes(), context.CancellationToken);
        }
        catch (DatabaseUnavailableException)
        {
            RetryableRefusal.Unavailable(context, "The server cannot read the scopes right now; retry shortly.");
            return;
        }

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, plan.KeyId);
        identity.SetClaim(AccountIdClaim, plan.AccountId);
        identity.SetScopes(plan.Scopes);
        identity.SetResources(plan.Audiences);
        identity.SetDestinations(static _ => [Destinations.AccessToken]);

        var principal = new ClaimsPrincipal(identity);
        principal.SetAccessTokenLifetime(plan.Lifetime);
        context.SignIn(principal);
        usage.Record(plan.KeyId, plan.IssuedAt.UtcDateTime);
    }
}
