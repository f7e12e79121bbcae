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
        Assert.Equal(["client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange"], Strings(document, "grant_types_supported"));
        Assert.Equal(["client_secret_basic", "client_secret_post", "none"], Strings(document, "token_endpoint_auth_methods_supported").Order());
        Assert.DoesNotContain("openid", Strings(document, "scopes_supported"));
        Assert.Equal(["client_secret_basic", "client_secret_post"], Strings(document, "introspection_endpoint_auth_methods_supported").Order());
    }

    [Theory]
    [InlineData("/.well-known/openid-configuration")]
    [InlineData("/.well-known/oauth-authorization-server")]
    public async Task Both_documents_carry_only_rfc_8414_members_that_hold_for_a_client_credentials_server(string path)
    {
        var document = await (await world.Http.GetAsync(path)).ReadJsonAsync();

        Assert.Equal(
            ["grant_types_supported", "introspection_endpoint", "introspection_endpoint_auth_methods_supported", "issuer", "jwks_uri",
             "response_types_supported", "scopes_supported", "token_endpoint", "token_endpoint_auth_methods_supported"],
            document.EnumerateObject().Select(member => member.Name).Order(StringComparer.Ordinal));
        Assert.Equal(JsonValueKind.Array, document.GetProperty("response_types_supported").ValueKind);
        Assert.Empty(Strings(document, "response_types_supported"));
    }

    [Theory]
    [InlineData("/.well-known/openid-configuration")]
    [InlineData("/.well-known/oauth-authorization-server")]
    public async Task Scopes_supported_lists_the_defined_scopes_and_a_new_one_within_seconds(string path)
    {
        var name = $"discovery{path.Length}:read";
        await world.Provision.CreateScopeAsync(name, "invoices-api");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string[] listed;
        do
        {
            listed = Strings(await (await world.Http.GetAsync(path)).ReadJsonAsync(), "scopes_supported");
            await Task.Delay(200);
        }
        while (!listed.Contains(name) && clock.Elapsed < TimeSpan.FromSeconds(15));

        Assert.Contains(name, listed);
        Assert.Contains("invoices:read", listed);
        Assert.Contains("admin:operator", listed);
        Assert.True(clock.Elapsed < Scopes.ScopeCatalog.NamesLifetime + TimeSpan.FromSeconds(2), $"listed after {clock.Elapsed}");
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

    [Theory]
    [InlineData("/.well-known/openid-configuration")]
    [InlineData("/.well-known/oauth-authorization-server")]
    [InlineData("/.well-known/jwks")]
    public async Task Discovery_and_jwks_may_be_cached_for_five_minutes(string path)
    {
        using var response = await world.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl is { Public: true, NoStore: false, NoCache: false }, $"Cache-Control: {response.Headers.CacheControl}");
        Assert.Equal(TimeSpan.FromMinutes(5), response.Headers.CacheControl!.MaxAge);
    }

    private static string[] Strings(JsonElement document, string property) =>
        document.TryGetProperty(property, out var values) ? values.EnumerateArray().Select(v => v.GetString()!).ToArray() : [];
}

/// <summary>With <c>Tokens:Issuer</c> set, the discovery document names only the issuer's URLs, whatever Host the request had.</summary>
public sealed class DiscoveryWithIssuerTests(DiscoveryWithIssuerTests.World world) : IClassFixture<DiscoveryWithIssuerTests.World>
{
    public sealed class World() : TestWorld(new Dictionary<string, string?> { ["Tokens:Issuer"] = "https://auth.example.test/" });

    [Theory]
    [InlineData("/.well-known/openid-configuration")]
    [InlineData("/.well-known/oauth-authorization-server")]
    public async Task Every_url_derives_from_the_issuer_not_from_the_host_header(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = "evil.example";

        using var response = await world.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.ReadJsonAsync();
        Assert.Equal("https://auth.example.test/", document.GetProperty("issuer").GetString());
        Assert.Equal("https://auth.example.test/connect/token", document.GetProperty("token_endpoint").GetString());
        Assert.Equal("https://auth.example.test/connect/introspect", document.GetProperty("introspection_endpoint").GetString());
        Assert.Equal("https://auth.example.test/.well-known/jwks", document.GetProperty("jwks_uri").GetString());
        Assert.DoesNotContain("evil.example", document.GetRawText());
    }

    [Fact]
    public async Task Tokens_are_still_served_at_the_relative_paths()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);

        var token = await world.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);

        Assert.Equal("https://auth.example.test/", new System.IdentityModel.Tokens.Jwt.JwtSecurityToken(token).Issuer);
    }
}

/// <summary>Without an issuer, <c>AllowedHosts</c> pins the names the server answers to (README, Security).</summary>
public sealed class AllowedHostsTests(AllowedHostsTests.World world) : IClassFixture<AllowedHostsTests.World>
{
    public sealed class World() : TestWorld(new Dictionary<string, string?> { ["AllowedHosts"] = "localhost" });

    [Fact]
    public async Task A_request_for_another_host_is_refused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/openid-configuration");
        request.Headers.Host = "evil.example";

        using var evil = await world.Http.SendAsync(request);
        using var own = await world.Http.GetAsync("/.well-known/openid-configuration");

        Assert.Equal(HttpStatusCode.BadRequest, evil.StatusCode);
        Assert.DoesNotContain("evil.example", await evil.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }
}
