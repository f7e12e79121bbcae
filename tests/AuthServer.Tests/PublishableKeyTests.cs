using System.Net;
using System.Text.Json;
using AuthServer.ApiKeys;
using AuthServer.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AuthServer.Tests;

/// <summary>
/// Browser mode at the token endpoint, with the fast paths on and off and on PostgreSQL: a page's publishable key gets
/// a short-lived token only from an allowed origin, only for publishable scopes, never once its key is revoked; CORS
/// is granted to allowed origins only; identity tokens become end users' tokens by RFC 8693 token exchange.
/// </summary>
public abstract class PublishableKeyTests<TWorld>(TWorld world) : IClassFixture<TWorld> where TWorld : TestWorld
{
    private const string App = "https://app.example.com";
    private HttpClient Http => world.Http;

    private async Task<(TestKey Key, string PublishableKey, string Scope)> BrowserKeyAsync(KeyEnvironment? environment = null, params string[] origins)
    {
        var scope = $"pub-{Guid.NewGuid():N}"[..20];
        await world.CreateScopeAsync(scope, TestWorld.InvoicesApi);
        await world.Provision.SetPublishableAsync(scope, publishable: true);
        var key = await world.CreateKeyAsync([scope, "invoices:write"], environment: environment);
        var view = await world.Provision.SetAllowedOriginsAsync(key.Key.KeyId, origins.Length == 0 ? [App] : origins);
        return (key, view.PublishableKey, scope);
    }

    private async Task<string> IssuerAsync() =>
        (await (await Http.GetAsync("/.well-known/oauth-authorization-server")).ReadJsonAsync()).GetProperty("issuer").GetString()!;

    [Fact]
    public async Task A_page_from_an_allowed_origin_gets_a_short_lived_token_for_the_publishable_scopes_only_naming_the_key_as_azp()
    {
        var (key, pk, scope) = await BrowserKeyAsync();

        using var response = await Http.RequestBrowserTokenAsync(pk, App);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(App, response.AllowedOrigin());
        Assert.Contains("Origin", response.Headers.Vary);
        var body = await response.ReadJsonAsync();
        Assert.Equal(scope, body.GetProperty("scope").GetString()); // invoices:write is the key's, but not publishable
        Assert.InRange(body.GetProperty("expires_in").GetInt32(), 290, 300);
        var jwt = new JsonWebToken(body.GetProperty("access_token").GetString());
        Assert.Equal(pk, jwt.GetPayloadValue<string>("client_id"));
        Assert.Equal(key.Key.KeyId, jwt.GetPayloadValue<string>("azp"));
        Assert.Equal(key.Key.KeyId, jwt.Subject);
        Assert.Equal(world.Acme.Id, jwt.GetPayloadValue<string>("account_id"));
        Assert.Equal(TestWorld.InvoicesApi, Assert.Single(jwt.Audiences));
        Assert.False(jwt.TryGetPayloadValue<JsonElement>("act", out _));
        Assert.StartsWith("pk_live_", pk, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example.com")]
    [InlineData("http://app.example.com")]
    [InlineData("https://app.example.com:8443")]
    [InlineData("null")]
    [InlineData(null)]
    public async Task A_request_from_another_origin_or_without_one_is_invalid_client_with_no_CORS_grant(string? origin)
    {
        var (_, pk, _) = await BrowserKeyAsync();

        using var response = await Http.RequestBrowserTokenAsync(pk, origin);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.AllowedOrigin());
        var error = await response.ReadJsonAsync();
        Assert.Equal("invalid_client", error.GetProperty("error").GetString());
        Assert.Equal(origin is null ? "A publishable key is used from web pages only: the request has no Origin header."
            : "This publishable key may not be used from this origin: add it to the key's allowed origins.", error.GetProperty("error_description").GetString());
    }

    [Theory]
    [InlineData("https://a.example.org", true)]
    [InlineData("https://a.b.example.org", true)]
    [InlineData("https://example.org", false)]
    [InlineData("https://evil-example.org", false)]
    [InlineData("http://a.example.org", false)]
    public async Task A_wildcard_origin_admits_subdomains_of_its_domain_and_nothing_else(string origin, bool allowed)
    {
        var (_, pk, _) = await BrowserKeyAsync(null, "https://*.example.org");

        using var response = await Http.RequestBrowserTokenAsync(pk, origin);

        Assert.Equal(allowed ? HttpStatusCode.OK : HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(allowed ? origin : null, response.AllowedOrigin());
    }

    [Fact]
    public async Task A_key_with_no_allowed_origins_is_usable_from_no_browser()
    {
        var (key, _, _) = await BrowserKeyAsync();
        var pk = (await world.Provision.SetAllowedOriginsAsync(key.Key.KeyId)).PublishableKey;

        using var response = await Http.RequestBrowserTokenAsync(pk, App);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Asking_for_a_scope_that_is_not_publishable_is_invalid_scope_which_the_page_can_read()
    {
        var (_, pk, _) = await BrowserKeyAsync();

        using var response = await Http.RequestBrowserTokenAsync(pk, App, "invoices:write");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(App, response.AllowedOrigin());
        var error = await response.ReadJsonAsync();
        Assert.Equal("invalid_scope", error.GetProperty("error").GetString());
        Assert.Contains("marked publishable", error.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_none_of_whose_scopes_is_publishable_gets_no_token_from_a_browser()
    {
        var key = await world.CreateKeyAsync(["invoices:write"]);
        var pk = (await world.Provision.SetAllowedOriginsAsync(key.Key.KeyId, App)).PublishableKey;

        using var response = await Http.RequestBrowserTokenAsync(pk, App);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_scope", (await response.ReadJsonAsync()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Withdrawing_the_publishable_mark_closes_the_scope_to_browsers_within_the_change_feed_bound()
    {
        var (_, pk, scope) = await BrowserKeyAsync();
        Assert.Equal(HttpStatusCode.OK, (await Http.RequestBrowserTokenAsync(pk, App, scope)).StatusCode);

        await world.Provision.SetPublishableAsync(scope, publishable: false);

        using var refused = await Http.RequestBrowserTokenAsync(pk, App, scope);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task Revoking_the_key_disables_its_publishable_key_at_once()
    {
        var (key, pk, _) = await BrowserKeyAsync();
        Assert.Equal(HttpStatusCode.OK, (await Http.RequestBrowserTokenAsync(pk, App)).StatusCode);

        await world.RevokeKeyAsync(key.Key.KeyId);

        using var response = await Http.RequestBrowserTokenAsync(pk, App);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await response.ReadJsonAsync()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_regenerated_publishable_key_replaces_the_old_one_at_once()
    {
        var (key, old, _) = await BrowserKeyAsync();
        Assert.Equal(HttpStatusCode.OK, (await Http.RequestBrowserTokenAsync(old, App)).StatusCode);

        var regenerated = await world.InScope<AuthServer.Browser.PublishableKeyService, AuthServer.Browser.PublishableKeyView>(service =>
            service.RegenerateAsync(AuthServer.Accounts.AccountScope.Every, key.Key.KeyId, TestWorld.TestActor, CancellationToken.None));

        Assert.NotEqual(old, regenerated.PublishableKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Http.RequestBrowserTokenAsync(old, App)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.RequestBrowserTokenAsync(regenerated.PublishableKey, App)).StatusCode);
    }

    [Fact]
    public async Task A_publishable_key_sent_with_a_secret_is_refused_and_no_secret_is_echoed()
    {
        var (key, pk, _) = await BrowserKeyAsync();

        using var response = await Http.RequestBrowserTokenAsync(pk, App, extra: new Dictionary<string, string> { ["client_secret"] = key.Secret });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("invalid_request", body, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Secret, body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pk_live_doesnotexist")]
    [InlineData("pk_live_AAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("pk_")]
    public async Task An_unknown_publishable_key_is_invalid_client(string pk)
    {
        using var response = await Http.RequestBrowserTokenAsync(pk, App);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.AllowedOrigin());
        Assert.Equal("invalid_client", (await response.ReadJsonAsync()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_test_key_s_publishable_key_says_test_and_never_reaches_a_live_only_scope()
    {
        var (key, pk, scope) = await BrowserKeyAsync(KeyEnvironment.Test);
        Assert.StartsWith("pk_test_", pk, StringComparison.Ordinal);
        var token = new JsonWebToken((await (await Http.RequestBrowserTokenAsync(pk, App)).ReadJsonAsync()).GetProperty("access_token").GetString());
        Assert.Equal("test", token.GetPayloadValue<string>("environment"));

        await world.Provision.SetLiveOnlyAsync(scope, liveOnly: true);

        using var refused = await Http.RequestBrowserTokenAsync(pk, App, scope);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("invalid_scope", (await refused.ReadJsonAsync()).GetProperty("error").GetString());
        Assert.NotNull(key);
    }

    [Fact]
    public async Task A_preflight_from_an_allowed_origin_is_granted_and_one_from_elsewhere_is_not()
    {
        await BrowserKeyAsync(null, "https://preflight.example.net");

        using var granted = await Http.SendAsync(Preflight("https://preflight.example.net"));
        using var refused = await Http.SendAsync(Preflight("https://elsewhere.example.net"));

        Assert.Equal(HttpStatusCode.NoContent, granted.StatusCode);
        Assert.Equal("https://preflight.example.net", granted.AllowedOrigin());
        Assert.Equal("POST", string.Join(",", granted.Headers.GetValues("Access-Control-Allow-Methods")));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Null(refused.AllowedOrigin());
        Assert.Equal("invalid_request", (await refused.ReadJsonAsync()).GetProperty("error").GetString());

        static HttpRequestMessage Preflight(string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, "/connect/token");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            return request;
        }
    }

    [Fact]
    public async Task An_identity_token_becomes_an_end_user_s_token_whose_sub_is_the_user_and_act_the_key()
    {
        var (key, pk, scope) = await BrowserKeyAsync();
        var secret = await world.Provision.GenerateSigningSecretAsync(key.Key.KeyId);

        using var response = await Http.ExchangeIdentityTokenAsync(pk, App, Browsers.IdentityToken(secret, await IssuerAsync(), "user-7"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(App, response.AllowedOrigin());
        var body = await response.ReadJsonAsync();
        Assert.Equal("urn:ietf:params:oauth:token-type:access_token", body.GetProperty("issued_token_type").GetString());
        Assert.Equal(scope, body.GetProperty("scope").GetString());
        var token = body.GetProperty("access_token").GetString()!;
        var jwt = new JsonWebToken(token);
        Assert.Equal("user-7", jwt.Subject);
        Assert.Equal(key.Key.KeyId, jwt.GetPayloadValue<JsonElement>("act").GetProperty("sub").GetString());
        Assert.Equal(key.Key.KeyId, jwt.GetPayloadValue<string>("azp"));
        Assert.Equal(pk, jwt.GetPayloadValue<string>("client_id"));

        var answer = await Http.IntrospectAsync(world.Invoices.ClientId, world.Invoices.ClientSecret, token);
        Assert.True(answer.GetProperty("active").GetBoolean());
        Assert.Equal("user-7", answer.GetProperty("sub").GetString());
        Assert.Equal(key.Key.KeyId, answer.GetProperty("azp").GetString());
        Assert.Equal(key.Key.KeyId, answer.GetProperty("act").GetProperty("sub").GetString());

        await world.RevokeKeyAsync(key.Key.KeyId);
        Assert.False((await Http.IntrospectAsync(world.Invoices.ClientId, world.Invoices.ClientSecret, token)).GetProperty("active").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(IdentityTokenCases.Defects), MemberType = typeof(IdentityTokenCases))]
    public async Task A_defective_identity_token_is_invalid_grant_saying_what_is_wrong(string defect, string description)
    {
        var (key, pk, _) = await BrowserKeyAsync();
        var secret = await world.Provision.GenerateSigningSecretAsync(key.Key.KeyId);
        var (other, _, _) = await BrowserKeyAsync();
        var otherSecret = await world.Provision.GenerateSigningSecretAsync(other.Key.KeyId);
        var issuer = await IssuerAsync();
        var good = Browsers.IdentityToken(secret, issuer);
        var identityToken = defect switch
        {
            "expired" => Browsers.IdentityToken(secret, issuer, issuedAt: DateTime.UtcNow.AddMinutes(-20)),
            "tampered" => good[..^3] + (good[^3] == 'A' ? "B" : "A") + good[^2..],
            "other key" => Browsers.IdentityToken(otherSecret, issuer),
            "wrong audience" => Browsers.IdentityToken(secret, "https://elsewhere.example/"),
            "HS512" => Browsers.IdentityToken(secret + secret, issuer, algorithm: Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha512),
            "no sub" => Browsers.IdentityToken(secret, issuer, subject: null),
            "too long-lived" => Browsers.IdentityToken(secret, issuer, lifetime: TimeSpan.FromHours(3)),
            "control characters" => Browsers.IdentityToken(secret, issuer, subject: "user\u0007"),
            "not a JWT" => "not-a-jwt",
            _ => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + good.Split('.')[1] + ".",
        };

        using var response = await Http.ExchangeIdentityTokenAsync(pk, App, identityToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.ReadJsonAsync();
        Assert.Equal("invalid_grant", error.GetProperty("error").GetString());
        Assert.Equal(description, error.GetProperty("error_description").GetString());
        Assert.Equal(App, response.AllowedOrigin());
    }

    [Theory]
    [InlineData("five parts", null, null)]
    [InlineData("null header", "null", null)]
    [InlineData("array header", "[1]", null)]
    [InlineData("array alg", "{\"alg\":[\"HS256\"],\"typ\":\"JWT\"}", null)]
    [InlineData("null payload", null, "null")]
    [InlineData("array payload", null, "[1,2]")]
    [InlineData("array sub", null, "{\"sub\":[\"a\"],\"aud\":\"AUD\",\"exp\":EXP}")]
    [InlineData("object sub", null, "{\"sub\":{\"a\":1},\"aud\":\"AUD\",\"exp\":EXP}")]
    [InlineData("string exp", null, "{\"sub\":\"u\",\"aud\":\"AUD\",\"exp\":\"soon\"}")]
    [InlineData("overflowing exp", null, "{\"sub\":\"u\",\"aud\":\"AUD\",\"exp\":1e20}")]
    public async Task A_malformed_identity_token_signed_or_not_is_invalid_grant_never_a_server_error(string defect, string? header, string? payload)
    {
        var (key, pk, _) = await BrowserKeyAsync();
        var secret = await world.Provision.GenerateSigningSecretAsync(key.Key.KeyId);
        var exp = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var headerPart = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(header ?? "{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
        var payloadPart = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode((payload ?? "{\"sub\":\"u\"}").Replace("AUD", await IssuerAsync()).Replace("EXP", exp));
        var signature = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(
            System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), System.Text.Encoding.ASCII.GetBytes(headerPart + "." + payloadPart)));
        var identityToken = defect == "five parts" ? "a.b.c.d.e" : $"{headerPart}.{payloadPart}.{signature}";

        using var response = await Http.ExchangeIdentityTokenAsync(pk, App, identityToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", (await response.ReadJsonAsync()).GetProperty("error").GetString());
        Assert.Equal(App, response.AllowedOrigin());
    }

    [Theory]
    [InlineData("https://bücher.example.org")]
    [InlineData("https://\uFF41.example.org")]
    public async Task A_non_ascii_origin_is_refused_like_any_other_origin_not_allowed(string origin)
    {
        var (_, pk, _) = await BrowserKeyAsync(null, "https://*.example.org");

        using var response = await Http.RequestBrowserTokenAsync(pk, origin);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.AllowedOrigin());
    }

    [Fact]
    public async Task A_key_without_a_signing_secret_accepts_no_identity_token()
    {
        var (_, pk, _) = await BrowserKeyAsync();

        using var response = await Http.ExchangeIdentityTokenAsync(pk, App, Browsers.IdentityToken("authsk_" + new string('x', 50), await IssuerAsync()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", (await response.ReadJsonAsync()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_new_signing_secret_makes_identity_tokens_signed_with_the_old_one_invalid()
    {
        var (key, pk, _) = await BrowserKeyAsync();
        var old = await world.Provision.GenerateSigningSecretAsync(key.Key.KeyId);
        var oldToken = Browsers.IdentityToken(old, await IssuerAsync());
        Assert.Equal(HttpStatusCode.OK, (await Http.ExchangeIdentityTokenAsync(pk, App, oldToken)).StatusCode);

        var fresh = await world.Provision.GenerateSigningSecretAsync(key.Key.KeyId);

        Assert.Equal(HttpStatusCode.BadRequest, (await Http.ExchangeIdentityTokenAsync(pk, App, oldToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.ExchangeIdentityTokenAsync(pk, App, Browsers.IdentityToken(fresh, await IssuerAsync()))).StatusCode);
    }

    [Fact]
    public async Task A_token_exchange_with_the_wrong_subject_token_type_is_invalid_request()
    {
        var (key, pk, _) = await BrowserKeyAsync();
        var secret = await world.Provision.GenerateSigningSecretAsync(key.Key.KeyId);

        using var response = await Http.ExchangeIdentityTokenAsync(pk, App, Browsers.IdentityToken(secret, await IssuerAsync()),
            tokenType: "urn:ietf:params:oauth:token-type:access_token");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await response.ReadJsonAsync()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_secret_key_cannot_use_token_exchange()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = Browsers.TokenExchange, ["subject_token"] = "x.y.z", ["subject_token_type"] = Browsers.JwtTokenType,
            }),
        };
        request.Headers.Authorization = OAuth.BasicCredentials(key.Key.KeyId, key.Secret);

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unsupported_grant_type", (await response.ReadJsonAsync()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Discovery_lists_token_exchange_and_authentication_without_a_secret()
    {
        var document = await (await Http.GetAsync("/.well-known/oauth-authorization-server")).ReadJsonAsync();

        Assert.Contains(Browsers.TokenExchange, document.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("client_credentials", document.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("none", document.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray().Select(e => e.GetString()));
    }
}

public static class IdentityTokenCases
{
    public static TheoryData<string, string> Defects() => new()
    {
        { "expired", "The identity token has expired: get a new one from your backend." },
        { "tampered", "The identity token's signature does not match this key's signing secret." },
        { "other key", "The identity token's signature does not match this key's signing secret." },
        { "wrong audience", "The identity token's aud is not this AuthServer's issuer." },
        { "HS512", "The identity token must be signed with HS256." },
        { "no sub", "The identity token has no sub: it must name the end user." },
        { "too long-lived", "The identity token's exp is more than 60 minutes ahead; sign shorter-lived identity tokens." },
        { "control characters", "The identity token's sub, name and email are each at most 200 characters, without control characters." },
        { "not a JWT", "The identity token is not a valid compact JWT signed with the key's signing secret." },
        { "unsigned", "The identity token must be signed with HS256." },
    };
}

public sealed class PublishableKeyTestsWithFastPaths(TestWorld world) : PublishableKeyTests<TestWorld>(world);

public sealed class PublishableKeyTestsThroughOpenIddict(OpenIddictPipelineWorld world) : PublishableKeyTests<OpenIddictPipelineWorld>(world);

public sealed class PublishableKeyTestsOnPostgreSql(PostgresWorld world) : PublishableKeyTests<PostgresWorld>(world);
