using System.Collections.Immutable;
using AuthServer.ApiKeys;
using AuthServer.Tokens.Requests;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.Abstractions;

namespace AuthServer.Tokens.Answers;

/// <summary>
/// The fields of an <c>active: true</c> introspection answer (RFC 7662 §2.2), for both paths: from the token itself,
/// or for a key's secret presented directly, from the key (<c>token_usage: api_key</c>, the caller as <c>aud</c>,
/// only the scopes that reach it, <c>exp</c> the key's expiry if it has one).
/// </summary>
public static class IntrospectionAnswer
{
    public static IEnumerable<KeyValuePair<string, OpenIddictParameter>> Of(JsonWebToken token)
    {
        var issuedAt = Number(token, "iat");
        yield return new("active", true);
        yield return new("iss", token.Issuer);
        yield return new("sub", token.Subject);
        yield return new("scope", token.TryGetPayloadValue<string>("scope", out var scope) ? scope : "");
        yield return new("jti", token.Id);
        yield return new("token_type", "Bearer");
        yield return new("token_usage", "access_token");
        yield return new("client_id", token.TryGetPayloadValue<string>("client_id", out var clientId) ? clientId : null);
        yield return new("iat", issuedAt);
        yield return new("nbf", issuedAt);
        yield return new("exp", Number(token, "exp"));
        ImmutableArray<string?> audiences = [.. token.Audiences];
        yield return new("aud", audiences.Length == 1 ? new OpenIddictParameter(audiences[0]) : new OpenIddictParameter(audiences));
        if (token.TryGetPayloadValue<string>(AccessTokenClaims.AccountId, out var accountId))
        {
            yield return new(AccessTokenClaims.AccountId, accountId);
        }

        if (token.TryGetPayloadValue<string>(AccessTokenClaims.AuthorizedParty, out var authorizedParty))
        {
            yield return new(AccessTokenClaims.AuthorizedParty, authorizedParty);
        }

        if (token.TryGetPayloadValue<System.Text.Json.JsonElement>(AccessTokenClaims.Actor, out var actor))
        {
            yield return new(AccessTokenClaims.Actor, actor);
        }

        // A token without the claim was issued before keys had environments, by a key that is therefore live.
        yield return new(AccessTokenClaims.Environment,
            token.TryGetPayloadValue<string>(AccessTokenClaims.Environment, out var environment) ? environment : "live");
    }

    public static IEnumerable<KeyValuePair<string, OpenIddictParameter>> Of(DirectKeyGrant grant)
    {
        var key = grant.Key;
        yield return new("active", true);
        yield return new("iss", grant.Issuer);
        yield return new("sub", key.ClientId);
        yield return new("scope", string.Join(' ', grant.Scopes));
        yield return new("token_type", "Bearer");
        yield return new("token_usage", "api_key");
        yield return new("client_id", key.ClientId);
        if (key.ExpiresAt is { } expiresAt)
        {
            yield return new("exp", new DateTimeOffset(DateTime.SpecifyKind(expiresAt, DateTimeKind.Utc)).ToUnixTimeSeconds());
        }

        yield return new("aud", grant.Audience);
        if (key.AccountId is { } accountId)
        {
            yield return new(AccessTokenClaims.AccountId, accountId);
        }

        yield return new(AccessTokenClaims.Environment, key.Environment.Name());
    }

    private static long Number(JsonWebToken token, string claim) => token.TryGetPayloadValue<long>(claim, out var value) ? value : 0;
}
