using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthServer.Tests.Infrastructure;

/// <summary>What a web page and its backend do over HTTP in browser mode: token requests with an Origin, identity tokens.</summary>
public static class Browsers
{
    public const string TokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange";
    public const string JwtTokenType = "urn:ietf:params:oauth:token-type:jwt";

    /// <summary>A page's token request with its publishable key, as fetch() sends it from <paramref name="origin"/> (null: no Origin header).</summary>
    public static Task<HttpResponseMessage> RequestBrowserTokenAsync(this HttpClient http, string publishableKey, string? origin, string? scope = null, IDictionary<string, string>? extra = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = publishableKey };
        if (scope is not null)
        {
            form["scope"] = scope;
        }

        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            form[name] = value;
        }

        var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token") { Content = new FormUrlEncodedContent(form) };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return http.SendAsync(request);
    }

    /// <summary>The page exchanging an identity token for an end user's token (RFC 8693).</summary>
    public static Task<HttpResponseMessage> ExchangeIdentityTokenAsync(this HttpClient http, string publishableKey, string origin, string identityToken, string? scope = null, string tokenType = JwtTokenType) =>
        http.RequestBrowserTokenAsync(publishableKey, origin, scope, new Dictionary<string, string>
        {
            ["grant_type"] = TokenExchange,
            ["subject_token"] = identityToken,
            ["subject_token_type"] = tokenType,
        });

    /// <summary>What the customer's backend signs for its end user: HS256 with the key's signing secret.</summary>
    public static string IdentityToken(string signingSecret, string audience, string? subject = "user-42", TimeSpan? lifetime = null, DateTime? issuedAt = null,
        string algorithm = SecurityAlgorithms.HmacSha256, IDictionary<string, object>? claims = null)
    {
        var now = issuedAt ?? DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? TimeSpan.FromMinutes(10)),
            Subject = subject is null ? new ClaimsIdentity() : new ClaimsIdentity([new Claim("sub", subject)]),
            Claims = claims,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingSecret)), algorithm),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    public static string? AllowedOrigin(this HttpResponseMessage response) =>
        response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? string.Join(",", values) : null;
}
