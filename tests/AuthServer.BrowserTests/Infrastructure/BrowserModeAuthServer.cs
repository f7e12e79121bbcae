using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthServer.BrowserTests.Infrastructure;

/// <summary>
/// AuthServer's browser mode as its wire protocol describes it, and nothing else, on a loopback port: a token
/// endpoint that answers one publishable key from one allowed origin (with CORS; any other origin gets
/// <c>invalid_client</c> and no CORS grant), the client-credentials visitor token and the token exchange of an
/// identity token (HS256 with the signing secret, <c>aud</c> the issuer, at most an hour), and the discovery
/// document and JWKS a resource server validates the RS256 tokens with. It lets the page's own behaviour (its
/// error on a refused origin, its one retry after a 401) be driven exactly, down to tokens the API refuses
/// (<see cref="IssueTokensForAnotherApi"/>).
/// </summary>
public sealed class BrowserModeAuthServer : IAsyncDisposable
{
    public const string KeyId = "ak_browser_sample";
    public const string AccountId = "acc_browser_sample";
    public const string PublishableKey = "pk_test_BrowserSample0123456789";
    public const string Audience = "invoices-api";
    private const string TokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange";
    private const string JwtTokenType = "urn:ietf:params:oauth:token-type:jwt";

    private readonly WebApplication _app;
    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "browser-mode-key" };
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly ConcurrentQueue<string> _grants = new();

    private BrowserModeAuthServer(WebApplication app, string allowedOrigin, string signingSecret)
    {
        _app = app;
        AllowedOrigin = allowedOrigin;
        SigningSecret = signingSecret;
    }

    public string AllowedOrigin { get; }

    public string SigningSecret { get; }

    public Uri Issuer => new(_app.Urls.Single().TrimEnd('/') + "/");

    /// <summary>When true, its tokens name another API in <c>aud</c>, so the SampleApi answers them with 401.</summary>
    public bool IssueTokensForAnotherApi { get; set; }

    /// <summary>The grant types of the token requests it answered with a token, in order.</summary>
    public IReadOnlyList<string> Grants => [.. _grants];

    public static async Task<BrowserModeAuthServer> StartAsync(string allowedOrigin, string signingSecret)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var server = new BrowserModeAuthServer(builder.Build(), allowedOrigin, signingSecret);
        server.Map();
        await server._app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private void Map()
    {
        _app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Issuer.AbsoluteUri,
            ["token_endpoint"] = Issuer.AbsoluteUri + "connect/token",
            ["jwks_uri"] = Issuer.AbsoluteUri + ".well-known/jwks",
            ["grant_types_supported"] = new[] { "client_credentials", TokenExchange },
        }));
        _app.MapGet("/.well-known/jwks", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(_key);
            return Results.Json(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } } });
        });
        _app.MapPost("/connect/token", (Func<HttpContext, Task<IResult>>)Token);
    }

    private async Task<IResult> Token(HttpContext http)
    {
        var origin = http.Request.Headers.Origin.ToString();
        var form = await http.Request.ReadFormAsync();
        if (origin != AllowedOrigin || form["client_id"] != PublishableKey)
        {
            return Error(StatusCodes.Status401Unauthorized, "invalid_client", "The publishable key cannot be used from this origin.");
        }

        http.Response.Headers.AccessControlAllowOrigin = origin;
        http.Response.Headers.Vary = "Origin";
        var grantType = form["grant_type"].ToString();
        var scope = form["scope"].ToString();
        if (grantType == "client_credentials")
        {
            return Issue(grantType, KeyId, scope, actor: false);
        }

        if (grantType != TokenExchange || form["subject_token_type"] != JwtTokenType)
        {
            return Error(StatusCodes.Status400BadRequest, "unsupported_grant_type", "Only client_credentials and token exchange.");
        }

        var identity = await _handler.ValidateTokenAsync(form["subject_token"].ToString(), new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(SigningSecret)),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidAudience = Issuer.AbsoluteUri,
            ValidateIssuer = false,
            ClockSkew = TimeSpan.Zero,
        });
        if (!identity.IsValid || identity.SecurityToken is not JsonWebToken { Subject: { Length: > 0 and <= 200 } endUser } token
            || token.ValidTo > DateTime.UtcNow.AddHours(1).AddMinutes(1))
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_grant", "The identity token is invalid, expired or not for this AuthServer.");
        }

        return Issue(grantType, endUser, scope, actor: true);
    }

    private IResult Issue(string grantType, string subject, string scope, bool actor)
    {
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object>
        {
            ["client_id"] = PublishableKey,
            ["azp"] = KeyId,
            ["account_id"] = AccountId,
            ["environment"] = "test",
            ["scope"] = scope,
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        if (actor)
        {
            claims["act"] = new Dictionary<string, object> { ["sub"] = KeyId };
        }

        var accessToken = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer.AbsoluteUri,
            Audience = IssueTokensForAnotherApi ? "reports-api" : Audience,
            Subject = new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim("sub", subject)]),
            Claims = claims,
            TokenType = "at+jwt",
            IssuedAt = now,
            Expires = now.AddMinutes(5),
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
        });
        _grants.Enqueue(grantType);
        return Results.Json(new Dictionary<string, object>
        {
            ["access_token"] = accessToken,
            ["token_type"] = "Bearer",
            ["expires_in"] = 300,
            ["scope"] = scope,
        });
    }

    private static IResult Error(int status, string error, string description) =>
        Results.Json(new { error, error_description = description }, statusCode: status);
}
