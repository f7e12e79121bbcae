using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AuthServer.ResourceServer;
using AuthServer.Tests.Infrastructure;
using SampleApi.Tests.Infrastructure;

namespace SampleApi.Tests;

/// <summary>
/// The page's whole chain over HTTP with the real AuthServer, in both modes: a visitor token got with the publishable
/// key from an allowed origin, an identity token minted by the SampleApi's sample backend, its exchange for an end
/// user's token, and what the API sees of each.
/// </summary>
[Collection(WithSharedAuthServer.Name)]
public sealed class BrowserModeTests(ResourceServerWorld world)
{
    private const string PageOrigin = "http://127.0.0.1:5090";

    [Theory]
    [InlineData(TokenValidationMode.Local)]
    [InlineData(TokenValidationMode.Introspection)]
    public async Task A_visitor_token_is_seen_as_the_api_key_through_its_publishable_key(TokenValidationMode mode)
    {
        var key = await world.AuthServer.Provision.CreateBrowserModeKeyAsync(world.AuthServer.Acme.Id, ["invoices:read", "invoices:write"], PageOrigin);
        await using var sample = SampleApi(mode, key);
        using var api = sample.CreateClient();

        var token = await TokenAsync(world.AuthServer.Http.RequestBrowserTokenAsync(key.PublishableKey, PageOrigin));
        using var response = await api.GetAsync("/whoami", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var caller = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(key.Key.Key.KeyId, caller.GetProperty("keyId").GetString());
        Assert.Equal(key.PublishableKey, caller.GetProperty("publishableKey").GetString());
        Assert.Equal(JsonValueKind.Null, caller.GetProperty("endUserId").ValueKind);
        Assert.Equal(world.AuthServer.Acme.Id, caller.GetProperty("accountId").GetString());
    }

    [Theory]
    [InlineData(TokenValidationMode.Local)]
    [InlineData(TokenValidationMode.Introspection)]
    public async Task The_sample_backend_s_identity_token_is_exchanged_for_the_end_user_who_then_creates_an_invoice(TokenValidationMode mode)
    {
        var key = await world.AuthServer.Provision.CreateBrowserModeKeyAsync(world.AuthServer.Acme.Id, ["invoices:read", "invoices:write"], PageOrigin);
        await using var sample = SampleApi(mode, key);
        using var page = sample.CreateClient();
        var identityToken = await IdentityTokenFromTheSampleBackendAsync(page);

        var token = await TokenAsync(world.AuthServer.Http.ExchangeIdentityTokenAsync(key.PublishableKey, PageOrigin, identityToken));
        using var whoami = await page.GetAsync("/whoami", token);
        using var created = await page.PostJsonAsync("/invoices", token, """{"customer":"Globex","amount":12.5,"currency":"EUR"}""");

        Assert.Equal(HttpStatusCode.OK, whoami.StatusCode);
        var caller = JsonDocument.Parse(await whoami.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("user-ann-lee", caller.GetProperty("endUserId").GetString());
        Assert.Equal(key.Key.Key.KeyId, caller.GetProperty("keyId").GetString());
        Assert.Equal(key.PublishableKey, caller.GetProperty("publishableKey").GetString());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var invoice = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("user-ann-lee", invoice.GetProperty("createdByUser").GetString());
        Assert.Equal(key.Key.Key.KeyId, invoice.GetProperty("createdBy").GetString());
    }

    [Fact]
    public async Task An_identity_token_minted_with_another_key_s_signing_secret_is_refused_by_the_AuthServer()
    {
        var key = await world.AuthServer.Provision.CreateBrowserModeKeyAsync(world.AuthServer.Acme.Id, ["invoices:read"], PageOrigin);
        var other = await world.AuthServer.Provision.CreateBrowserModeKeyAsync(world.AuthServer.Acme.Id, ["invoices:read"], PageOrigin);
        await using var sample = SampleApi(TokenValidationMode.Local, other);
        using var page = sample.CreateClient();
        var identityToken = await IdentityTokenFromTheSampleBackendAsync(page);

        using var response = await world.AuthServer.Http.ExchangeIdentityTokenAsync(key.PublishableKey, PageOrigin, identityToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", (await response.ReadJsonAsync()).GetProperty("error").GetString());
    }

    private SampleApiFactory SampleApi(TokenValidationMode mode, BrowserModeKey key) => new(world.AuthServer, mode, new Dictionary<string, string?>
    {
        ["SampleApi:Browser:PublishableKey"] = key.PublishableKey,
        ["SampleApi:Browser:SigningSecret"] = key.SigningSecret,
    });

    private static async Task<string> TokenAsync(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(PageOrigin, response.AllowedOrigin());
        return body.GetProperty("access_token").GetString()!;
    }

    private static async Task<string> IdentityTokenFromTheSampleBackendAsync(HttpClient page)
    {
        using (var signIn = await page.PostAsJsonAsync("/browser/session", new { name = "Ann Lee" }))
        {
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        }

        using var minted = await page.PostAsJsonAsync("/browser/identity-token", new { });
        return JsonDocument.Parse(await minted.Content.ReadAsStringAsync()).RootElement.GetProperty("identityToken").GetString()!;
    }
}
