using System.Net;
using System.Text.Json;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

public sealed class DiscoveryTests(TestWorld world) : IClassFixture<TestWorld>
{
    [Theory]
    [InlineData("/.well-known/openid-configuration")]
    [InlineData("/.well-known/oauth-authorization-server")]
    public async Task Both_discovery_documents_describe_the_endpoints_and_only_what_is_supported(string path)
    {
        using var response = await world.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.ReadJsonAsync();
        Assert.Equal("https://localhost/", document.GetProperty("issuer").GetString());
        Assert.Equal("https://localhost/connect/token", document.GetProperty("token_endpoint").GetString());
        Assert.Equal("https://localhost/connect/introspect", document.GetProperty("introspection_endpoint").GetString());
        Assert.Equal("https://localhost/.well-known/jwks", document.GetProperty("jwks_uri").GetString());
        Assert.Equal(["client_credentials"], Strings(document, "grant_types_supported"));
        Assert.Equal(["client_secret_basic", "client_secret_post"], Strings(document, "token_endpoint_auth_methods_supported").Order());
        Assert.DoesNotContain("openid", Strings(document, "scopes_supported"));
    }

    [Fact]
    public async Task The_jwks_publishes_the_key_that_signs_tokens_and_no_private_parts()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        var token = await world.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
        var kid = new System.IdentityModel.Tokens.Jwt.JwtSecurityToken(token).Header.Kid;

        var jwks = JsonDocument.Parse(await world.Http.GetStringAsync("/.well-known/jwks")).RootElement;

        var keys = jwks.GetProperty("keys").EnumerateArray().ToList();
        Assert.Contains(keys, k => k.GetProperty("kid").GetString() == kid);
        Assert.All(keys, k => Assert.False(k.TryGetProperty("d", out _), "JWKS must not contain private key material"));
    }

    private static string[] Strings(JsonElement document, string property) =>
        document.TryGetProperty(property, out var values) ? values.EnumerateArray().Select(v => v.GetString()!).ToArray() : [];
}
