using System.IdentityModel.Tokens.Jwt;
using Microsoft.IdentityModel.Tokens;

namespace AuthServer.Tests.Infrastructure;

/// <summary>
/// A resource server that validates tokens locally with a JWKS it re-reads only every <paramref name="refresh"/>
/// (on the clock the test moves), and never on an unknown <c>kid</c>: the strictest cache rotation has to satisfy.
/// </summary>
public sealed class CachingResourceServer(HttpClient http, TimeProvider clock, TimeSpan refresh, string audience)
{
    private JsonWebKeySet? _jwks;
    private DateTimeOffset _fetchedAt;

    public int Fetches { get; private set; }

    public async Task<bool> AcceptsAsync(string token)
    {
        var now = clock.GetUtcNow();
        if (_jwks is null || now - _fetchedAt >= refresh)
        {
            _jwks = new JsonWebKeySet(await http.GetStringAsync("/.well-known/jwks"));
            _fetchedAt = now;
            Fetches++;
        }

        try
        {
            new JwtSecurityTokenHandler { MapInboundClaims = false }.ValidateToken(token, new TokenValidationParameters
            {
                ValidIssuer = "https://localhost/",
                ValidAudience = audience,
                IssuerSigningKeys = _jwks.GetSigningKeys(),
                ValidTypes = ["at+jwt"],
                LifetimeValidator = (_, expires, _, _) => expires > now.UtcDateTime,
            }, out _);
            return true;
        }
        catch (SecurityTokenException)
        {
            return false;
        }
    }
}
