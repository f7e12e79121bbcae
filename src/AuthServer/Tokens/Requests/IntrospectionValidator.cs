using AuthServer.Clients;
using AuthServer.Signing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthServer.Tokens.Requests;

/// <summary>
/// Judges a token for the resource server that asks about it, once per request (both paths read the verdict):
/// signed by a published key, this issuer, unexpired, <c>typ: at+jwt</c>, addressed to the caller, and its key
/// still live (<see cref="KeyLiveness"/>: revocation reaches introspection at once, however much lifetime the
/// token has left). A resource server sees only tokens addressed to it.
/// </summary>
public sealed class IntrospectionValidator(SigningKeySet signingKeys, TokenIssuer issuer, KeyLiveness liveness)
{
    private readonly JsonWebTokenHandler _handler = new();

    public async ValueTask<IntrospectionVerdict> JudgeAsync(HttpContext http, string callerId, string token, CancellationToken cancellationToken)
    {
        var decisions = OAuthRequestDecisions.Of(http);
        if (decisions.Introspection is { } decided)
        {
            return decided;
        }

        var verdict = await DecideAsync(http.Request, callerId, token, cancellationToken);
        decisions.Introspection = verdict;
        return verdict;
    }

    private async Task<IntrospectionVerdict> DecideAsync(HttpRequest request, string callerId, string token, CancellationToken cancellationToken)
    {
        if (!issuer.TryGet(request, out var iss))
        {
            return IntrospectionVerdict.Inactive("The request has no usable base address.");
        }

        var validation = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = iss,
            IssuerSigningKeys = signingKeys.PublishedCredentials.Select(credentials => credentials.Key),
            ValidTypes = ["at+jwt"],
            ValidateAudience = false, // checked below: the caller must be one of the audiences
            ClockSkew = TimeSpan.Zero,
        });
        if (!validation.IsValid || validation.SecurityToken is not JsonWebToken jwt)
        {
            return IntrospectionVerdict.Inactive("The token is invalid or expired.");
        }

        if (!jwt.Audiences.Contains(callerId, StringComparer.Ordinal))
        {
            return IntrospectionVerdict.Inactive("The token is not addressed to this resource server.");
        }

        var keyId = jwt.TryGetPayloadValue<string>("client_id", out var id) ? id : null;
        return await liveness.CheckAsync(keyId, cancellationToken) switch
        {
            Liveness.Live => new IntrospectionVerdict(IntrospectionOutcome.Active, jwt, null),
            Liveness.Unknown => new IntrospectionVerdict(IntrospectionOutcome.Unavailable, null, "The token's key cannot be checked right now."),
            _ => IntrospectionVerdict.Inactive("The token's key is no longer active."),
        };
    }
}
