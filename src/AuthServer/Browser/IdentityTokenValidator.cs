using AuthServer.Clients;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthServer.Browser;

/// <summary>The end user an identity token names (<c>sub</c>, and optionally <c>name</c> and <c>email</c>).</summary>
public sealed record EndUser(string Id, string? Name, string? Email);

/// <summary>
/// Checks the identity token a customer's backend signed for its end user with the key's signing secret: a compact
/// JWT, HS256 only, signed with this publishable key's API key's secret (a token of another key fails the signature),
/// <c>aud</c> = AuthServer's issuer, unexpired, <c>exp</c> at most <see cref="BrowserOptions.MaxIdentityTokenLifetime"/>
/// ahead, a <c>sub</c> of at most 200 characters without control characters. Each defect is a sentence for
/// <c>invalid_grant</c>.
/// </summary>
public sealed class IdentityTokenValidator(TimeProvider time, IOptions<BrowserOptions> options)
{
    public const int MaxClaimLength = 200;
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public async ValueTask<(EndUser? User, string? Refusal)> ValidateAsync(string identityToken, ClientSnapshot key, string issuer)
    {
        try
        {
            return await ValidateWellFormedAsync(identityToken, key, issuer);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or OverflowException or InvalidOperationException
                                              or System.Text.Json.JsonException or SecurityTokenException)
        {
            // IdentityModel reads the header and claims before and after the signature check, and throws on JSON it
            // cannot map (a null header, an array sub, an exp out of range): all of it is simply not a valid token.
            return (null, Describe(null));
        }
    }

    private async ValueTask<(EndUser? User, string? Refusal)> ValidateWellFormedAsync(string identityToken, ClientSnapshot key, string issuer)
    {
        if (key.Publishable?.SigningKey is not { } signingKey)
        {
            return (null, "The key has no usable signing secret, so it accepts no identity tokens: generate one for the key.");
        }

        if (!_handler.CanReadToken(identityToken))
        {
            return (null, Describe(null));
        }

        if (new JsonWebToken(identityToken).Alg != SecurityAlgorithms.HmacSha256)
        {
            return (null, "The identity token must be signed with HS256.");
        }

        var now = time.GetUtcNow();
        var validation = await _handler.ValidateTokenAsync(identityToken, new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(signingKey),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidateIssuer = false,
            ValidAudience = issuer,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = ClockSkew,
            LifetimeValidator = (notBefore, expires, _, _) => expires switch
            {
                null => throw new SecurityTokenNoExpirationException("no exp"),
                _ when expires.Value.ToUniversalTime() <= now.UtcDateTime - ClockSkew => throw new SecurityTokenExpiredException("expired"),
                _ when notBefore?.ToUniversalTime() > now.UtcDateTime + ClockSkew => throw new SecurityTokenNotYetValidException("not yet valid"),
                _ => true,
            },
        });
        if (!validation.IsValid || validation.SecurityToken is not JsonWebToken jwt)
        {
            return (null, Describe(validation.Exception));
        }

        if (jwt.ValidTo > now.UtcDateTime + options.Value.MaxIdentityTokenLifetime + ClockSkew)
        {
            return (null, $"The identity token's exp is more than {options.Value.MaxIdentityTokenLifetime.TotalMinutes:0} minutes ahead; sign shorter-lived identity tokens.");
        }

        var subject = Claim(jwt, "sub");
        if (string.IsNullOrEmpty(subject))
        {
            return (null, "The identity token has no sub: it must name the end user.");
        }

        if (!IsAllowed(subject) || !IsAllowed(Claim(jwt, "name")) || !IsAllowed(Claim(jwt, "email")))
        {
            return (null, $"The identity token's sub, name and email are each at most {MaxClaimLength} characters, without control characters.");
        }

        return (new EndUser(subject, Claim(jwt, "name"), Claim(jwt, "email")), null);
    }

    private static string? Claim(JsonWebToken jwt, string name) => jwt.TryGetPayloadValue<string>(name, out var value) ? value : null;

    private static bool IsAllowed(string? value) => value is null || (value.Length <= MaxClaimLength && Text.TextRule.IsAllowed(value));

    private static string Describe(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => "The identity token has expired: get a new one from your backend.",
        SecurityTokenNotYetValidException or SecurityTokenInvalidLifetimeException => "The identity token is not valid yet, or its lifetime is invalid.",
        SecurityTokenInvalidAudienceException => "The identity token's aud is not this AuthServer's issuer.",
        SecurityTokenInvalidAlgorithmException => "The identity token must be signed with HS256.",
        SecurityTokenNoExpirationException => "The identity token has no exp.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException =>
            "The identity token's signature does not match this key's signing secret.",
        _ => "The identity token is not a valid compact JWT signed with the key's signing secret.",
    };
}
