using System.Net;
using System.Text;
using AuthServer.Clients;
using AuthServer.Secrets;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

public abstract class TokenEndpointTests<TWorld>(TWorld world) : IClassFixture<TWorld> where TWorld : TestWorld
{
    private HttpClient Http => world.Http;

    [Fact]
    public async Task A_key_gets_a_signed_short_lived_jwt_that_verifies_against_the_published_keys()
    {
        var key = await world.CreateKeyAsync(["invoices:read", "reports:read"]);

        using var response = await Http.RequestTokenAsync(key.Key.KeyId, key.Secret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString());
        var body = await response.ReadJsonAsync();
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.InRange(body.GetProperty("expires_in").GetInt32(), 299, 300);
        Assert.Equal("invoices:read reports:read", body.GetProperty("scope").GetString());

        var jwt = await Http.ValidateWithJwksAsync(body.GetProperty("access_token").GetString()!, TestWorld.InvoicesApi);
        Assert.Equal("at+jwt", jwt.Header.Typ);
        Assert.Equal("RS256", jwt.Header.Alg);
        Assert.False(string.IsNullOrEmpty(jwt.Header.Kid));
        Assert.Equal(key.Key.KeyId, jwt.Subject);
        Assert.Equal(key.Key.KeyId, jwt.Payload["client_id"]);
        Assert.Equal(world.Acme.Id, jwt.Payload["account_id"]);
        Assert.Equal("invoices:read reports:read", jwt.Payload["scope"]);
        Assert.Equal([TestWorld.InvoicesApi, TestWorld.ReportsApi], jwt.Audiences.Order());
        Assert.False(string.IsNullOrEmpty(jwt.Id));
        Assert.Equal("https://localhost/", jwt.Issuer);
        Assert.Equal(300, (jwt.ValidTo - jwt.IssuedAt).TotalSeconds);
        Assert.InRange(jwt.IssuedAt, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task The_issuer_is_normalised_as_in_discovery_whatever_the_host_header_case()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        request.Headers.Authorization = OAuth.BasicCredentials(key.Key.KeyId, key.Secret);
        request.Headers.Host = "LocalHost";

        using var response = await Http.SendAsync(request);

        var token = (await response.ReadJsonAsync()).GetProperty("access_token").GetString();
        Assert.Equal("https://localhost/", new System.IdentityModel.Tokens.Jwt.JwtSecurityToken(token).Issuer);
    }

    [Fact]
    public async Task Client_secret_post_works_as_well_as_basic()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);

        using var response = await Http.RequestTokenAsync(key.Key.KeyId, key.Secret, basic: false);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Asking_for_some_of_the_keys_scopes_narrows_the_scope_and_the_audience()
    {
        var key = await world.CreateKeyAsync(["invoices:read", "reports:read"]);

        var token = await Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret, scope: "reports:read");

        var jwt = await Http.ValidateWithJwksAsync(token, TestWorld.ReportsApi);
        Assert.Equal("reports:read", jwt.Payload["scope"]);
        Assert.Equal([TestWorld.ReportsApi], jwt.Audiences);
    }

    [Fact]
    public async Task One_audience_is_a_string_and_several_are_an_array()
    {
        var key = await world.CreateKeyAsync(["invoices:read", "reports:read"]);

        var one = Payload(await Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret, scope: "invoices:read"));
        var two = Payload(await Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret));

        Assert.Equal(TestWorld.InvoicesApi, one.GetProperty("aud").GetString());
        Assert.Equal([TestWorld.InvoicesApi, TestWorld.ReportsApi], two.GetProperty("aud").EnumerateArray().Select(a => a.GetString()).Order());
    }

    [Fact]
    public async Task Repeated_scopes_are_granted_once_in_the_order_asked()
    {
        var key = await world.CreateKeyAsync(["invoices:read", "reports:read"]);

        using var response = await Http.RequestTokenAsync(key.Key.KeyId, key.Secret, scope: "reports:read  invoices:read reports:read");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("reports:read invoices:read", body.GetProperty("scope").GetString());
        Assert.Equal("reports:read invoices:read", Payload(body.GetProperty("access_token").GetString()!).GetProperty("scope").GetString());
    }

    [Fact]
    public async Task An_empty_scope_parameter_grants_all_of_the_keys_scopes()
    {
        var key = await world.CreateKeyAsync(["reports:read", "invoices:read"]);

        using var response = await Http.RequestTokenAsync(key.Key.KeyId, key.Secret, scope: "");

        Assert.Equal("invoices:read reports:read", (await response.ReadJsonAsync()).GetProperty("scope").GetString());
    }

    [Fact]
    public async Task Client_secret_post_with_a_narrowed_scope_gets_the_same_token_as_basic()
    {
        var key = await world.CreateKeyAsync(["invoices:read", "reports:read"]);

        using var post = await Http.RequestTokenAsync(key.Key.KeyId, key.Secret, scope: "reports:read", basic: false);
        using var basic = await Http.RequestTokenAsync(key.Key.KeyId, key.Secret, scope: "reports:read");

        var a = Payload((await post.ReadJsonAsync()).GetProperty("access_token").GetString()!);
        var b = Payload((await basic.ReadJsonAsync()).GetProperty("access_token").GetString()!);
        Assert.Equal(Claims(b), Claims(a));
    }

    [Fact]
    public async Task The_token_carries_no_claim_private_to_openiddict()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);

        var payload = Payload(await Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret));

        Assert.Equal(["account_id", "aud", "client_id", "environment", "exp", "iat", "iss", "jti", "scope", "sub"], payload.EnumerateObject().Select(p => p.Name).Order());
    }

    private static System.Text.Json.JsonElement Payload(string token) =>
        System.Text.Json.JsonDocument.Parse(Base64UrlDecode(token.Split('.')[1])).RootElement.Clone();

    private static byte[] Base64UrlDecode(string part) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(part);

    private static string Claims(System.Text.Json.JsonElement payload) =>
        string.Join(",", payload.EnumerateObject().Where(p => p.Name is not ("jti" or "iat" or "exp")).Select(p => $"{p.Name}={p.Value}").Order());

    [Fact]
    public async Task Asking_for_a_scope_the_key_does_not_hold_is_invalid_scope()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);

        using var response = await Http.RequestTokenAsync(key.Key.KeyId, key.Secret, scope: "invoices:read invoices:write");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("invalid_scope", body.GetProperty("error").GetString());
        Assert.Contains("invoices:write", body.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task Wrong_unknown_malformed_and_revoked_credentials_all_get_the_same_invalid_client_answer()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        var revoked = await world.CreateKeyAsync(["invoices:read"]);
        await world.RevokeKeyAsync(revoked.Key.KeyId);
        var oneCharacterChanged = key.Secret[..20] + (key.Secret[20] == 'a' ? 'b' : 'a') + key.Secret[21..];

        (string Id, string Secret)[] attempts =
        [
            (key.Key.KeyId, ClientSecret.Generate()),          // well-formed, wrong
            (key.Key.KeyId, oneCharacterChanged),              // mistyped: checksum fails
            (key.Key.KeyId, key.Secret[..^3]),                 // truncated
            (key.Key.KeyId, "not-a-secret"),                   // malformed
            ("ak_0000000000000000", key.Secret),               // unknown key
            ("someone-else", key.Secret),                      // unknown, not even a key ID
            (revoked.Key.KeyId, revoked.Secret),               // revoked
        ];

        var bodies = new List<string>();
        foreach (var (id, secret) in attempts)
        {
            using var response = await Http.RequestTokenAsync(id, secret);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            bodies.Add(await response.Content.ReadAsStringAsync());
        }

        Assert.Single(bodies.Distinct());
        Assert.Contains("\"invalid_client\"", bodies[0]);
        Assert.Contains("The client credentials are invalid.", bodies[0]);
    }

    [Fact]
    public async Task A_revoked_key_is_answered_like_a_wrong_secret_but_logged_as_revoked()
    {
        var revoked = await world.CreateKeyAsync(["invoices:read"]);
        await world.RevokeKeyAsync(revoked.Key.KeyId);

        using var response = await Http.RequestTokenAsync(revoked.Key.KeyId, revoked.Secret);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await response.ReadJsonAsync()).GetProperty("error").GetString());
        Assert.Contains(world.Factory.Logs.Lines, line => line.Contains($"client_id {revoked.Key.KeyId}: Revoked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_expired_key_is_told_so_but_only_with_the_right_secret()
    {
        var key = await world.CreateKeyAsync(["invoices:read"], expiresAt: DateTime.UtcNow.AddHours(1));
        Assert.Equal(HttpStatusCode.OK, (await Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
        await world.ExpireKeyAsync(key.Key.KeyId);

        using var response = await Http.RequestTokenAsync(key.Key.KeyId, key.Secret);
        using var wrongSecret = await Http.RequestTokenAsync(key.Key.KeyId, ClientSecret.Generate());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
        Assert.Contains("expired", body.GetProperty("error_description").GetString());
        Assert.DoesNotContain("expired", await wrongSecret.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_token_never_outlives_its_key()
    {
        var expiresAt = DateTime.UtcNow.AddSeconds(90);
        var key = await world.CreateKeyAsync(["invoices:read"], expiresAt: expiresAt);

        var asked = DateTime.UtcNow;
        using var response = await Http.RequestTokenAsync(key.Key.KeyId, key.Secret);
        var answered = DateTime.UtcNow;
        var body = await response.ReadJsonAsync();

        var jwt = await Http.ValidateWithJwksAsync(body.GetProperty("access_token").GetString()!, TestWorld.InvoicesApi);
        Assert.True(jwt.ValidTo <= expiresAt, $"exp {jwt.ValidTo:O} is after the key's expiry {expiresAt:O}");
        // What is left of the key's life when the token was issued, however long a busy machine took to get there.
        Assert.InRange(body.GetProperty("expires_in").GetInt32(), (int)(expiresAt - answered).TotalSeconds - 1, (int)Math.Ceiling((expiresAt - asked).TotalSeconds));
    }

    [Theory]
    [InlineData("grant_type=password&username=a&password=b", "unsupported_grant_type")]
    [InlineData("grant_type=authorization_code&code=x", "unsupported_grant_type")]
    [InlineData("grant_type=refresh_token&refresh_token=x", "unsupported_grant_type")]
    [InlineData("scope=invoices:read", "invalid_request")]
    [InlineData("", "invalid_request")]
    public async Task Requests_other_than_client_credentials_are_refused_with_a_standard_error(string form, string error)
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Authorization = OAuth.BasicCredentials(key.Key.KeyId, key.Secret);

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, (await response.ReadJsonAsync()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Missing_client_credentials_are_invalid_client()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);

        using var noCredentials = await Http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }));
        using var noSecret = await Http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = key.Key.KeyId,
        }));

        foreach (var response in new[] { noCredentials, noSecret })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var body = await response.ReadJsonAsync();
            Assert.Equal("invalid_client", body.GetProperty("error").GetString());
            Assert.Contains("HTTP Basic", body.GetProperty("error_description").GetString());
        }
    }

    [Fact]
    public async Task Get_instead_of_post_is_a_json_invalid_request()
    {
        using var response = await Http.GetAsync("/connect/token?grant_type=client_credentials");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await response.ReadJsonAsync()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_json_body_is_a_json_invalid_request()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new StringContent("{\"grant_type\":\"client_credentials\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = OAuth.BasicCredentials(key.Key.KeyId, key.Secret);

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await response.ReadJsonAsync()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_secret_sent_in_the_wrong_field_is_refused_and_never_echoed()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);

        using var swapped = await Http.RequestTokenAsync(key.Secret, key.Key.KeyId);
        using var inScope = await Http.RequestTokenAsync(key.Key.KeyId, key.Secret, scope: key.Secret);

        foreach (var response in new[] { swapped, inScope })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains("\"invalid_request\"", body);
            Assert.DoesNotContain(key.Secret, body);
        }
    }

    [Fact]
    public async Task Resource_server_credentials_cannot_get_tokens()
    {
        using var response = await Http.RequestTokenAsync(world.Invoices.ClientId, world.Invoices.ClientSecret);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unauthorized_client", (await response.ReadJsonAsync()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Plain_http_is_refused_outside_development()
    {
        using var http = world.Factory.CreateClient(); // http://localhost
        var key = await world.CreateKeyAsync(["invoices:read"]);

        using var response = await http.RequestTokenAsync(key.Key.KeyId, key.Secret);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("invalid_request", body.GetProperty("error").GetString());
        Assert.Contains("HTTPS", body.GetProperty("error_description").GetString(), StringComparison.OrdinalIgnoreCase);
    }
}

public sealed class TokenEndpointTestsOnSqlite(TestWorld world) : TokenEndpointTests<TestWorld>(world);

public sealed class TokenEndpointTestsOnPostgreSql(PostgresWorld world) : TokenEndpointTests<PostgresWorld>(world);

public sealed class TokenEndpointTestsThroughOpenIddict(OpenIddictPipelineWorld world) : TokenEndpointTests<OpenIddictPipelineWorld>(world);
