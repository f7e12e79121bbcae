using AuthServer.ApiKeys;
using AuthServer.Clients;
using AuthServer.Data;
using AuthServer.Throttling;

namespace AuthServer.Tokens.Requests;

/// <summary>
/// The checks of a <c>client_credentials</c> request, in the order both paths apply them: client
/// authentication (<see cref="ClientAuthenticator"/>), the requested scopes, the key's token permit, the token's
/// plan. Each is decided once per request (<see cref="OAuthRequestDecisions"/>): the fast path and OpenIddict's
/// handlers (<see cref="AuthenticateClient"/>, <see cref="ValidateRequestedScopes"/>,
/// <see cref="LimitTokenRequestsPerKey"/>, <see cref="IssueAccessToken"/>) call the same methods.
/// </summary>
public sealed class TokenRequestValidator(ClientAuthenticator authenticator, TokenRequestThrottle throttle, AccessTokenPlanner planner)
{
    public async ValueTask<ClientAuthentication> AuthenticateAsync(
        HttpContext http, string clientId, string? secret, ClientKind requiredKind, CancellationToken cancellationToken)
    {
        var decisions = OAuthRequestDecisions.Of(http);
        if (decisions.Authentication is { } decided && decided.ClientId == clientId)
        {
            return decided;
        }

        var authentication = await authenticator.AuthenticateAsync(clientId, secret, http.Connection.RemoteIpAddress, requiredKind, cancellationToken);
        decisions.Authentication = authentication;
        return authentication;
    }

    /// <summary>
    /// Why the requested scopes cannot be granted (the <c>invalid_scope</c> description), or null when they can. A key
    /// may ask for any subset of its scopes (none: all of them); a test key never gets a scope marked live-only
    /// (<see cref="KeyEnvironments.FirstScopeClosedTo"/>, the rule key creation applies too). A publishable key holds only its
    /// key's publishable scopes (<see cref="ClientSnapshotLoader"/>), so the same rule keeps it to them.
    /// </summary>
    public static string? ScopeRefusal(ClientSnapshot key, IReadOnlyList<string> requested)
    {
        var publishable = key.Kind == ClientKind.PublishableKey;
        if (requested.FirstOrDefault(scope => !key.Scopes.Contains(scope)) is { } missing)
        {
            return publishable
                ? $"The publishable key cannot reach the scope '{Truncate(missing)}': only those of its key's scopes that an operator marked publishable."
                : $"The key does not hold the scope '{Truncate(missing)}'.";
        }

        if (publishable && key.Scopes.Count == 0)
        {
            return "None of the key's scopes is marked publishable, so its publishable key reaches nothing.";
        }

        var granted = requested.Count == 0 ? key.Scopes.Order(StringComparer.Ordinal) : requested.AsEnumerable();
        return KeyEnvironments.FirstScopeClosedTo(key.Environment, granted, key.LiveOnlyScopes.Contains) is { } closed
            ? KeyEnvironments.ClosedScopeMessage(closed)
            : null;
    }

    private static string Truncate(string scope) => scope.Length <= 100 ? scope : scope[..100] + "…";

    public async ValueTask<KeyPermit> TakePermitAsync(HttpContext http, ClientSnapshot key, CancellationToken cancellationToken)
    {
        var decisions = OAuthRequestDecisions.Of(http);
        if (decisions.Permit is { } decided)
        {
            return decided;
        }

        var (granted, retryAfter) = await throttle.TryTakeAsync(key, cancellationToken);
        var permit = new KeyPermit(granted, retryAfter);
        decisions.Permit = permit;
        return permit;
    }

    public async ValueTask<PlannedToken> PlanAsync(HttpContext http, ClientSnapshot key, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var decisions = OAuthRequestDecisions.Of(http);
        if (decisions.Plan is { } decided)
        {
            return decided;
        }

        PlannedToken planned;
        try
        {
            planned = new PlannedToken(await planner.PlanAsync(key, scopes, cancellationToken,
                secret: decisions.Authentication?.Secret is SecretMatch.Previous ? SecretMatch.Previous : SecretMatch.Current));
        }
        catch (DatabaseUnavailableException)
        {
            planned = new PlannedToken(null);
        }

        decisions.Plan = planned;
        return planned;
    }
}
