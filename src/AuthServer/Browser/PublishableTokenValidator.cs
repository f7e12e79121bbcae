using AuthServer.Clients;
using AuthServer.Data;
using AuthServer.Throttling;
using AuthServer.Tokens;
using AuthServer.Tokens.Requests;
using Microsoft.Extensions.Primitives;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthServer.Browser;

/// <summary>
/// The checks of a token request with a publishable key, in order: the grant (client credentials, or RFC 8693 token
/// exchange of an identity token), no secret, the brute-force throttle, the key (from the directory, as every client),
/// the request's <c>Origin</c> against the key's allow-list, the API key's status, the scopes (only publishable ones,
/// <see cref="TokenRequestValidator.ScopeRefusal"/>), the identity token, the browser throttles, the plan. The rules
/// shared with secret keys are theirs, called here, never copied.
/// </summary>
public sealed class PublishableTokenValidator(
    ClientDirectory directory,
    FailedAuthenticationThrottle failures,
    BrowserTokenThrottle throttle,
    IdentityTokenValidator identityTokens,
    AccessTokenPlanner planner,
    TokenIssuer issuer,
    TimeProvider time)
{
    public const string TokenExchangeGrant = GrantTypes.TokenExchange;
    public const string JwtTokenType = "urn:ietf:params:oauth:token-type:jwt";

    public async Task<PublishableTokenDecision> DecideAsync(HttpContext http, IFormCollection form, CancellationToken cancellationToken)
    {
        var clientId = form["client_id"].ToString();
        var grant = form["grant_type"].ToString();
        var exchange = grant == TokenExchangeGrant;
        if (grant != GrantTypes.ClientCredentials && !exchange)
        {
            return PublishableTokenDecision.Refuse(400, Errors.UnsupportedGrantType,
                "A publishable key gets tokens with grant_type client_credentials, or exchanges an identity token with " + TokenExchangeGrant + ".");
        }

        if (!StringValues.IsNullOrEmpty(form["client_secret"]) || http.Request.Headers.Authorization.Count > 0)
        {
            return PublishableTokenDecision.Refuse(400, Errors.InvalidRequest,
                "A publishable key has no secret: send only client_id. Never put a key's secret in a web page.");
        }

        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (!failures.MayAttempt(clientId, address, out var failuresRetryAfter))
        {
            return PublishableTokenDecision.Refuse(429, Errors.TemporarilyUnavailable, "Too many failed attempts; retry later.", retryAfter: failuresRetryAfter);
        }

        ClientSnapshot? key;
        try
        {
            key = PublishableKeyFormat.IsWellFormed(clientId) ? await directory.FindAsync(clientId, cancellationToken) : null;
        }
        catch (DatabaseUnavailableException)
        {
            return PublishableTokenDecision.Refuse(503, Errors.TemporarilyUnavailable, "The server cannot check the publishable key right now; retry shortly.",
                retryAfter: TimeSpan.FromSeconds(1));
        }

        var origin = Origin.Parse(http.Request.Headers.Origin);
        if (key?.Publishable is not { } publishable || key.Kind != ClientKind.PublishableKey)
        {
            failures.RecordFailure(clientId, address);
            return PublishableTokenDecision.Refuse(401, Errors.InvalidClient, "The publishable key is unknown.");
        }

        if (!publishable.Origins.Allows(origin))
        {
            return PublishableTokenDecision.Refuse(401, Errors.InvalidClient, StringValues.IsNullOrEmpty(http.Request.Headers.Origin)
                ? "A publishable key is used from web pages only: the request has no Origin header."
                : "This publishable key may not be used from this origin: add it to the key's allowed origins.");
        }

        var cors = origin!.Value.Value;
        if (!key.IsActiveAt(time.GetUtcNow().UtcDateTime))
        {
            return PublishableTokenDecision.Refuse(401, Errors.InvalidClient, "The publishable key's API key is no longer active.", cors);
        }

        var scopes = RequestedScopes.Parse(form["scope"]);
        if (TokenRequestValidator.ScopeRefusal(key, scopes) is { } scopeRefusal)
        {
            return PublishableTokenDecision.Refuse(400, Errors.InvalidScope, scopeRefusal, cors);
        }

        EndUser? endUser = null;
        if (exchange)
        {
            if (form["subject_token_type"] != JwtTokenType || StringValues.IsNullOrEmpty(form["subject_token"]))
            {
                return PublishableTokenDecision.Refuse(400, Errors.InvalidRequest,
                    $"Token exchange needs subject_token (the identity token) and subject_token_type={JwtTokenType}.", cors);
            }

            if (!issuer.TryGet(http.Request, out var iss))
            {
                return PublishableTokenDecision.Refuse(400, Errors.InvalidRequest, "The request has no usable base address.", cors);
            }

            var (user, refusal) = await identityTokens.ValidateAsync(form["subject_token"].ToString(), key, iss);
            if (user is null)
            {
                return PublishableTokenDecision.Refuse(400, Errors.InvalidGrant, refusal!, cors);
            }

            endUser = user;
        }

        if (!throttle.TryTake(key.ClientId, address, out var retryAfter))
        {
            return PublishableTokenDecision.Refuse(429, Errors.TemporarilyUnavailable,
                "Too many token requests with this publishable key or from this address: keep each token until shortly before it expires.", cors, retryAfter);
        }

        try
        {
            var plan = await planner.PlanAsync(key, scopes, cancellationToken, endUser);
            return new PublishableTokenDecision(plan, null, cors, exchange);
        }
        catch (DatabaseUnavailableException)
        {
            return PublishableTokenDecision.Refuse(503, Errors.TemporarilyUnavailable, "The server cannot read the scopes right now; retry shortly.", cors,
                TimeSpan.FromSeconds(1));
        }
    }
}
