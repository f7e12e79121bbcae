using System.Security.Claims;
using AuthServer.ApiKeys;
using AuthServer.Data;
using AuthServer.Scopes;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Tokens;

/// <summary>
/// Builds the access token of a client_credentials request: <c>sub</c> and <c>client_id</c> = key ID, the
/// account, the granted scopes and their resource servers as <c>aud</c>, and a lifetime that never runs
/// past the key's expiry. Nothing is written to the database; the key's use is only noted in memory.
/// </summary>
public sealed class IssueAccessToken(ScopeCatalog catalog, KeyUsageRecorder usage, TimeProvider time, IOptions<TokenOptions> options)
    : IOpenIddictServerHandler<HandleTokenRequestContext>
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

        var client = AuthenticatedClient.Get(context.Transaction);
        var requested = context.Request.GetScopes();
        IEnumerable<string> scopes = requested.IsEmpty ? client.Scopes.Order(StringComparer.Ordinal) : requested;

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, client.ClientId);
        identity.SetClaim(AccountIdClaim, client.AccountId);
        identity.SetScopes(scopes);
        try
        {
            identity.SetResources(await catalog.ResourcesOfAsync(scopes, context.CancellationToken));
        }
        catch (DatabaseUnavailableException)
        {
            RetryableRefusal.Unavailable(context, "The server cannot read the scopes right now; retry shortly.");
            return;
        }

        identity.SetDestinations(static _ => [Destinations.AccessToken]);

        var now = time.GetUtcNow();
        var lifetime = options.Value.AccessTokenLifetime;
        if (client.ExpiresAt is { } expiresAt && expiresAt - now.UtcDateTime < lifetime)
        {
            lifetime = expiresAt - now.UtcDateTime;
        }

        var principal = new ClaimsPrincipal(identity);
        principal.SetAccessTokenLifetime(lifetime);
        context.SignIn(principal);
        usage.Record(client.ClientId, now.UtcDateTime);
    }
}
