using System.IdentityModel.Tokens.Jwt;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace AuthServer.Tests.Infrastructure;

/// <summary>What a client or resource server does over HTTP: ask for tokens, introspect, verify with JWKS.</summary>
public static class OAuth
{
    public static Task<HttpResponseMessage> RequestTokenAsync(this HttpClient http, string clientId, string secret, string? scope = null, bool basic = true)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };
        if (scope is not null)
        {
            form["scope"] = scope;
        }

        var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token");
        if (basic)
        {
            request.Headers.Authorization = BasicCredentials(clientId, secret);
        }
        else
        {
            form["client_id"] = clientId;
            form["client_secret"] = secret;
        }

        request.Content = new FormUrlEncodedContent(form);
        return http.SendAsync(request);
    }

    public static async Task<string> GetAccessTokenAsync(this HttpClient http, string clientId, string secret, string? scope = null)
    {
        using var response = await http.RequestTokenAsync(clientId, secret, scope);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Token request failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    public static async Task<JsonElement> IntrospectAsync(this HttpClient http, string clientId, string secret, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/introspect")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }),
        };
        request.Headers.Authorization = BasicCredentials(clientId, secret);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Introspection failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static AuthenticationHeaderValue BasicCredentials(string clientId, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}")));

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public static async Task<JsonElement> ReadProblemAsync(this HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>Verifies a token the way a resource server would: keys from the JWKS named by discovery.</summary>
    public static async Task<JwtSecurityToken> ValidateWithJwksAsync(this HttpClient http, string token, string audience)
    {
        using var discovery = JsonDocument.Parse(await http.GetStringAsync("/.well-known/openid-configuration"));
        var issuer = discovery.RootElement.GetProperty("issuer").GetString()!;
        var jwksUri = new Uri(discovery.RootElement.GetProperty("jwks_uri").GetString()!);
        var jwks = new JsonWebKeySet(await http.GetStringAsync(jwksUri.PathAndQuery));

        var handler = new JwtSecurityTokenHandler { MapInboundClaims = false };
        handler.ValidateToken(token, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidTypes = ["at+jwt"],
            ClockSkew = TimeSpan.Zero,
        }, out var validated);
        return (JwtSecurityToken)validated;
    }
}
