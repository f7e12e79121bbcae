using System.Net;
using AuthServer.Clients;
using AuthServer.Data;
using AuthServer.Scopes;
using AuthServer.Secrets;
using AuthServer.Signing;
using AuthServer.Throttling;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthServer.Tokens.Requests;

/// <summary>
/// Judges what a resource server asks about, once per request (both paths read the verdict). An access token:
/// signed by a published key, this issuer, unexpired, <c>typ: at+jwt</c>, addressed to the caller, and its key
/// still live (<see cref="KeyLiveness"/>: revocation reaches introspection at once, however much lifetime the
/// token has left). A key's secret presented directly (<c>authsk_…</c>, whatever the <c>token_type_hint</c>): a
/// live API key found by the secret's SHA-256 in the directory, usable directly, with at least one scope that
/// reaches the caller; secrets that name no such key count towards the failure throttle, per caller and per
/// address that presented them. A resource server sees only what is addressed to it.
/// </summary>
public sealed class IntrospectionValidator(
    SigningKeySet signingKeys,
    TokenIssuer issuer,
    KeyLiveness liveness,
    ClientDirectory directory,
    ScopeCatalog scopes,
    FailedAuthenticationThrottle throttle,
    ApiKeys.KeyUsageRecorder usage,
    TimeProvider time)
{
    /// <summary>The form parameter in which a resource server may say which address presented a key's secret to it.</summary>
    public const string PresenterAddressParameter = "presenter_address";

    private readonly JsonWebTokenHandler _handler = new();

    public async ValueTask<IntrospectionVerdict> JudgeAsync(HttpContext http, string callerId, string token, CancellationToken cancellationToken)
    {
        var decisions = OAuthRequestDecisions.Of(http);
        if (decisions.Introspection is { } decided)
        {
            return decided;
        }

        var verdict = await DecideAsync(http, callerId, token, cancellationToken);
        decisions.Introspection = verdict;
        return verdict;
    }

    /// <summary>True for what is judged as a key's secret rather than as a token.</summary>
    public static bool IsKeySecret(string token) => ClientSecret.LooksLikeSecret(token);

    private async Task<IntrospectionVerdict> DecideAsync(HttpContext http, string callerId, string token, CancellationToken cancellationToken)
    {
        if (!issuer.TryGet(http.Request, out var iss))
        {
            return IntrospectionVerdict.Inactive("The request has no usable base address.");
        }

        return IsKeySecret(token)
            ? await DecideKeyAsync(http, callerId, token, iss, cancellationToken)
            : await DecideTokenAsync(callerId, token, iss, cancellationToken);
    }

    private async Task<IntrospectionVerdict> DecideTokenAsync(string callerId, string token, string iss, CancellationToken cancellationToken)
    {
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

        // A publishable key's token names its API key in azp: that key's liveness decides, as for its own tokens.
        var keyId = jwt.TryGetPayloadValue<string>(AccessTokenClaims.AuthorizedParty, out var party) ? party
            : jwt.TryGetPayloadValue<string>("client_id", out var id) ? id : null;
        return await liveness.CheckAsync(keyId, cancellationToken) switch
        {
            Liveness.Live => new IntrospectionVerdict(IntrospectionOutcome.Active, jwt, null),
            Liveness.Unknown => Unavailable,
            _ => IntrospectionVerdict.Inactive("The token's key is no longer active."),
        };
    }

    private async Task<IntrospectionVerdict> DecideKeyAsync(HttpContext http, string callerId, string secret, string iss, CancellationToken cancellationToken)
    {
        var presenter = PresenterOf(http);
        if (!throttle.MayPresentKey(callerId, presenter, out var retryAfter))
        {
            return new IntrospectionVerdict(IntrospectionOutcome.Throttled, null, "Too many unusable keys were presented from this address.", RetryAfter: retryAfter);
        }

        SecretLookup? found;
        try
        {
            found = ClientSecret.IsWellFormed(secret) ? await directory.FindBySecretAsync(secret, cancellationToken) : null;
        }
        catch (DatabaseUnavailableException)
        {
            return Unavailable;
        }

        if (found is not { Key: var key })
        {
            throttle.RecordKeyFailure(callerId, presenter);
            return IntrospectionVerdict.Inactive("The secret is not a live API key's.");
        }

        switch (await liveness.CheckAsync(key.ClientId, cancellationToken))
        {
            case Liveness.Unknown:
                return Unavailable;
            case Liveness.NotLive:
                return IntrospectionVerdict.Inactive("The key is no longer active.");
        }

        if (!key.DirectUse)
        {
            return IntrospectionVerdict.Inactive("The key may not be used directly at resource servers, only to get tokens.");
        }

        List<string> reaching = [];
        try
        {
            foreach (var scope in key.Scopes.Order(StringComparer.Ordinal))
            {
                if ((await scopes.ResourcesOfAsync([scope], cancellationToken)).Contains(callerId))
                {
                    reaching.Add(scope);
                }
            }
        }
        catch (DatabaseUnavailableException)
        {
            return Unavailable;
        }

        if (reaching.Count == 0)
        {
            return IntrospectionVerdict.Inactive("None of the key's scopes reaches this resource server.");
        }

        // Tokens record their own key's use; a replaced secret presented directly is recorded here, so its owner
        // sees when it went quiet during a roll's grace.
        if (found.Match == ApiKeys.SecretMatch.Previous)
        {
            usage.Record(key.ClientId, time.GetUtcNow().UtcDateTime, ApiKeys.SecretMatch.Previous);
        }

        return new IntrospectionVerdict(IntrospectionOutcome.Active, null, null, new DirectKeyGrant(key, reaching, callerId, iss));
    }

    /// <summary>The address the resource server says presented the secret, else the resource server's own.</summary>
    private static string PresenterOf(HttpContext http)
    {
        var given = http.Request.HasFormContentType && http.Request.Form.TryGetValue(PresenterAddressParameter, out var values) ? values.ToString() : null;
        return given is not null && IPAddress.TryParse(given, out var address)
            ? address.ToString()
            : http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }

    private static IntrospectionVerdict Unavailable { get; } =
        new(IntrospectionOutcome.Unavailable, null, "The token's key cannot be checked right now.");
}
