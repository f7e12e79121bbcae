using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AuthServer.ResourceServer;
using AuthServer.Secrets;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SampleApi.Tests.Infrastructure;

namespace SampleApi.Tests;

/// <summary>
/// The browser page and its sample backend (<c>SampleApi:Browser</c>), over HTTP: what the page may read, who may
/// get an identity token, and what that token is. No AuthServer is needed: the page talks to it, not the backend.
/// </summary>
public sealed class BrowserPageTests : IAsyncLifetime
{
    private const string PublishableKey = "pk_test_4eC39HqLyjWDarjtT1zdp7dc";
    private static readonly Uri Issuer = new("http://127.0.0.1:1/");
    private readonly string _signingSecret = ClientSecret.Generate("test");
    private SampleApiFactory _factory = null!;
    private HttpClient _page = null!;

    public Task InitializeAsync()
    {
        _factory = Factory(new Dictionary<string, string?>
        {
            ["SampleApi:Browser:PublishableKey"] = PublishableKey,
            ["SampleApi:Browser:SigningSecret"] = _signingSecret,
            ["SampleApi:Browser:IdentityTokenLifetime"] = "00:05:00",
        });
        _page = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _page.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task The_page_is_served_under_a_strict_content_security_policy_that_allows_fetches_to_the_AuthServer_only()
    {
        using var page = await _page.GetAsync("/browser/");
        using var script = await _page.GetAsync("/browser/app.js");
        using var noRedirects = _factory.CreateClient(new() { AllowAutoRedirect = false });
        using var withoutSlash = await noRedirects.GetAsync("/browser");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self' http://127.0.0.1:1; img-src 'self'; " +
            "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            Assert.Single(page.Headers.GetValues("Content-Security-Policy")));
        Assert.Contains("<script type=\"module\" src=\"app.js\"></script>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Assert.Single(script.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal(HttpStatusCode.Redirect, withoutSlash.StatusCode);
        Assert.Equal("/browser/", withoutSlash.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Only_the_page_s_own_files_are_served()
    {
        using var other = await _page.GetAsync("/browser/appsettings.json");
        using var outside = await _page.GetAsync("/browser/..%2Fappsettings.json");

        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
    }

    [Fact]
    public async Task The_config_names_the_AuthServer_publishable_key_and_scope_and_never_the_signing_secret()
    {
        using var response = await _page.GetAsync("/browser/config.json");

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.DoesNotContain(_signingSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("authsk_", text, StringComparison.Ordinal);
        var config = JsonDocument.Parse(text).RootElement;
        Assert.Equal(Issuer.AbsoluteUri, config.GetProperty("authServer").GetString());
        Assert.Equal(PublishableKey, config.GetProperty("publishableKey").GetString());
        Assert.Equal("invoices:read invoices:write", config.GetProperty("scope").GetString());
        Assert.True(config.GetProperty("signInAvailable").GetBoolean());
        Assert.Equal(JsonValueKind.Null, config.GetProperty("user").ValueKind);
    }

    [Fact]
    public async Task Without_a_publishable_key_there_is_no_page()
    {
        await using var factory = Factory(new Dictionary<string, string?>());
        using var api = factory.CreateClient();

        using var page = await api.GetAsync("/browser/");
        using var config = await api.GetAsync("/browser/config.json");
        using var token = await api.PostAsJsonAsync("/browser/identity-token", new { });

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, config.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, token.StatusCode);
    }

    [Fact]
    public async Task Without_a_signing_secret_the_page_works_for_visitors_and_offers_no_sign_in()
    {
        await using var factory = Factory(new Dictionary<string, string?> { ["SampleApi:Browser:PublishableKey"] = PublishableKey });
        using var api = factory.CreateClient();

        using var config = await api.GetAsync("/browser/config.json");
        using var signIn = await api.PostAsJsonAsync("/browser/session", new { name = "Ann Lee" });

        Assert.False(JsonDocument.Parse(await config.Content.ReadAsStringAsync()).RootElement.GetProperty("signInAvailable").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, signIn.StatusCode);
        Assert.Equal("application/problem+json", signIn.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_identity_token_without_signing_in_is_a_401_problem()
    {
        using var response = await _page.PostAsJsonAsync("/browser/identity-token", new { });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a name that is far too long to be anybody's name in this sample app.")]
    [InlineData("Ann\u0000Lee")]
    [InlineData(null)]
    public async Task A_bad_name_is_a_400_problem_and_signs_nobody_in(string? name)
    {
        using var response = await _page.PostAsJsonAsync("/browser/session", new { name });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_refused_so_a_form_on_another_site_cannot_sign_in_or_get_a_token()
    {
        using var signIn = await _page.PostAsync("/browser/session", new FormUrlEncodedContent([new("name", "Mallory")]));
        await SignInAsync("Ann Lee");
        using var token = await _page.PostAsync("/browser/identity-token", new StringContent("{}", Encoding.UTF8, "text/plain"));
        using var malformed = await _page.PostAsync("/browser/session", new StringContent("{\"name\":", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, token.StatusCode);
        Assert.Equal("application/problem+json", token.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    [Fact]
    public async Task Signing_in_sets_a_strict_http_only_cookie_for_the_page_only()
    {
        using var response = await _page.PostAsJsonAsync("/browser/session", new { name = "  Ann Lee  " });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var user = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("user-ann-lee", user.GetProperty("id").GetString());
        Assert.Equal("Ann Lee", user.GetProperty("name").GetString());
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("sample_end_user=", cookie, StringComparison.Ordinal);
        Assert.Contains("path=/browser", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Ann", cookie, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Zoë O'Brien-Smith", "user-zo-o-brien-smith")]
    [InlineData("ALICE", "user-alice")]
    public async Task The_end_user_ID_is_user_and_a_slug_of_the_name(string name, string id)
    {
        Assert.Equal(id, (await SignInAsync(name)).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_name_without_latin_letters_still_gets_a_stable_ID()
    {
        var first = (await SignInAsync("山田")).GetProperty("id").GetString();
        var again = (await SignInAsync("山田")).GetProperty("id").GetString();

        Assert.Matches("^user-[0-9a-f]{12}$", first);
        Assert.Equal(first, again);
    }

    [Fact]
    public async Task The_minted_identity_token_is_HS256_with_the_signing_secret_for_the_AuthServer_and_the_user()
    {
        await SignInAsync("Ann Lee");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        using var response = await _page.PostAsJsonAsync("/browser/identity-token", new { });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(_signingSecret, text, StringComparison.Ordinal);
        var answer = JsonDocument.Parse(text).RootElement;
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(answer.GetProperty("identityToken").GetString(), new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(_signingSecret)),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidAudience = Issuer.AbsoluteUri,
            ValidateIssuer = false,
            ClockSkew = TimeSpan.Zero,
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
        var token = (JsonWebToken)validation.SecurityToken;
        Assert.Equal("JWT", token.Typ);
        Assert.Equal("user-ann-lee", token.Subject);
        Assert.Equal("Ann Lee", token.GetPayloadValue<string>("name"));
        Assert.InRange(token.ValidTo, before.UtcDateTime.AddMinutes(5).AddSeconds(-5), DateTime.UtcNow.AddMinutes(5).AddSeconds(1));
        Assert.True(token.ValidTo - token.IssuedAt <= TimeSpan.FromMinutes(5));
        Assert.Equal(token.ValidTo, answer.GetProperty("expiresAt").GetDateTimeOffset().UtcDateTime);
    }

    [Fact]
    public async Task Neither_the_signing_secret_nor_an_identity_token_nor_the_cookie_reaches_the_logs()
    {
        using var signIn = await _page.PostAsJsonAsync("/browser/session", new { name = "Ann Lee" });
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie")).Split(';')[0]["sample_end_user=".Length..];
        using var response = await _page.PostAsJsonAsync("/browser/identity-token", new { });
        var identityToken = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("identityToken").GetString()!;

        var lines = _factory.Logs.Lines;
        Assert.Contains(lines, line => line.Contains("/browser/identity-token", StringComparison.Ordinal)); // the capture works, at Trace
        Assert.DoesNotContain(lines, line => line.Contains(_signingSecret, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains(identityToken, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains(cookie, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_config_shows_the_signed_in_user_until_sign_out()
    {
        await SignInAsync("Ann Lee");
        var signedIn = await ConfigAsync();

        using var signOut = await _page.DeleteAsync("/browser/session");
        using var token = await _page.PostAsJsonAsync("/browser/identity-token", new { });

        Assert.Equal("user-ann-lee", signedIn.GetProperty("user").GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await ConfigAsync()).GetProperty("user").ValueKind);
        Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);
    }

    [Fact]
    public async Task A_cookie_the_server_did_not_protect_signs_nobody_in()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/browser/identity-token") { Content = JsonContent.Create(new { }) };
        request.Headers.Add("Cookie", "sample_end_user=" + Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"Id":"user-admin","Name":"Admin"}""")));
        using var api = _factory.CreateDefaultClient();

        using var response = await api.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<JsonElement> SignInAsync(string name)
    {
        using var response = await _page.PostAsJsonAsync("/browser/session", new { name });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private async Task<JsonElement> ConfigAsync() =>
        JsonDocument.Parse(await _page.GetStringAsync("/browser/config.json")).RootElement;

    private static SampleApiFactory Factory(Dictionary<string, string?> settings) =>
        new(Issuer, TokenValidationMode.Local, ClientSecret.Generate(), settings);
}
