using System.Security.Claims;
using System.Text;
using AuthServer.ResourceServer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SampleApi.Browser;

/// <summary>
/// Signs identity tokens as a customer's backend does: a compact JWT, HS256 keyed with the UTF-8 bytes of the API
/// key's signing secret, <c>aud</c> the AuthServer's issuer exactly, <c>sub</c> the end user, and a lifetime of
/// <c>SampleApi:Browser:IdentityTokenLifetime</c>.
/// </summary>
public sealed class IdentityTokenMinter(IOptions<BrowserOptions> browser, IOptions<AuthServerResourceOptions> authServer, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public (string Token, DateTimeOffset ExpiresAt) Mint(EndUser user)
    {
        var secret = browser.Value.SigningSecret ?? throw new InvalidOperationException("Sign-in is not available without SampleApi:Browser:SigningSecret.");
        var now = time.GetUtcNow();
        var expiresAt = now + browser.Value.IdentityTokenLifetime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Audience = authServer.Value.Issuer?.AbsoluteUri,
            Subject = new ClaimsIdentity([new Claim("sub", user.Id), new Claim("name", user.Name), new Claim("jti", Guid.NewGuid().ToString("N"))]),
            IssuedAt = now.UtcDateTime,
            Expires = expiresAt.UtcDateTime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256),
        });
        return (token, DateTimeOffset.FromUnixTimeSeconds(expiresAt.ToUnixTimeSeconds()));
    }
}
